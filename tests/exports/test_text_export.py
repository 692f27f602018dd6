from dataclasses import replace

import pytest

from apps.exports.text import render_text
from apps.policies.types import Basis
from tests.exports.checks import expected_strings, in_plan_order, missing_from
from tests.exports.factories import hostile_plan, make_plan


@pytest.mark.parametrize("accounts", [1, 5])
def test_it_contains_every_step_title_address_and_warning(accounts: int) -> None:
    plan = make_plan(accounts)
    assert missing_from(render_text(plan, organisation="Acme Surveys"), plan) == []


def test_it_numbers_the_accounts_and_steps_in_plan_order() -> None:
    plan = make_plan(5)
    text = render_text(plan, organisation="Acme Surveys")
    headings = [line for line in text.splitlines() if line.startswith("## Account ")]
    assert headings[0].startswith("## Account 1 of 5: Northwind Traders 1")
    assert [h.split(":")[0] for h in headings] == [f"## Account {i} of 5" for i in range(1, 6)]
    titles = [step.title for step in plan.accounts[0].steps]
    positions = [text.index(f"Step {i}. {t}") for i, t in enumerate(titles, start=1)]
    assert positions == sorted(positions)


def test_it_gives_the_legacy_path_and_every_setting() -> None:
    plan = make_plan(1)
    text = render_text(plan)
    step = plan.accounts[0].steps[0]
    assert f"Menu: {step.path.current}" in text
    assert f"Legacy console: {step.path.legacy}" in text
    assert "- Policy Narrative: Safelist: permit survey mail from member@" in text
    assert "- Source IP Ranges (n.n.n.n/x):\n    185.5.88.10/32\n" in text


def test_it_shows_when_the_ip_ranges_were_resolved() -> None:
    text = render_text(make_plan(1))
    assert "### IP ranges (resolved 28 Nov 2026, 06:15 UTC)" in text


def test_it_leaves_out_ip_ranges_when_the_plan_uses_addresses_only() -> None:
    text = render_text(make_plan(1, basis=Basis.ADDRESS))
    assert "IP ranges" not in text
    assert "Source IP Ranges" not in text


def test_it_shows_the_unicode_form_beside_an_idn_address() -> None:
    text = render_text(make_plan(1))
    assert "umfragen@xn--bcher-kva.example    (umfragen@bücher.example)" in text


def test_its_summary_names_only_the_problems_the_steps_address() -> None:
    plan = make_plan(2)  # account 2 has only Permitted Senders and the test
    only_second = replace(plan, accounts=plan.accounts[1:])
    text = render_text(only_second, organisation="Acme Surveys")
    assert "reputation and spam checks can defer" in text
    # Greylisting is named only where a Greylisting step addresses it (not bulk here).
    assert "greylisting defers" not in text
    assert "Anti-Spoofing rejects" not in text
    assert "display name" not in text
    assert "greylisting defers" in render_text(plan, organisation="Acme Surveys")


def test_it_says_when_an_account_needs_no_mimecast_steps() -> None:
    text = render_text(make_plan(3))
    assert "Account 3 of 3: Fabrikam 3 (fabrikam3.example)" in text
    assert "No Mimecast steps for this account." in text
    assert "The other account needs no Mimecast policies." in text


def test_it_keeps_customer_text_verbatim() -> None:
    text = render_text(hostile_plan(9), organisation='<img src="http://127.0.0.1:9/x">')
    assert 'for mail from <img src="http://127.0.0.1:9/x">' in text


def test_its_summary_counts_the_accounts_that_need_mimecast_policies() -> None:
    text = render_text(make_plan(4), organisation="Acme Surveys")
    assert "create these policies in Mimecast for 2 of the 4 recipient accounts below" in text
    assert "The other 2 accounts need no Mimecast policies." in text


def test_its_summary_says_when_no_account_needs_mimecast_policies() -> None:
    plan = make_plan(3)
    plan = replace(plan, accounts=plan.accounts[2:])
    text = render_text(plan)
    assert "The customer sends survey invitations through SmartSurvey." in text
    assert "No Mimecast policies are needed for the accounts below." in text


def test_it_keeps_the_plans_order() -> None:
    plan = make_plan(5)
    assert in_plan_order(render_text(plan), plan) == expected_strings(plan)
