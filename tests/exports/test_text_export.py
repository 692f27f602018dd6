from dataclasses import replace

import pytest

from apps.exports.text import render_text
from apps.policies.generator import build_plan
from apps.policies.types import Basis
from tests.exports.checks import expected_strings, in_plan_order, missing_from
from tests.exports.factories import hostile_plan, make_plan
from tests.policies.factories import account, ips, request, unverified


@pytest.mark.parametrize("accounts", [1, 5])
def test_it_contains_every_step_title_address_and_warning(accounts: int) -> None:
    plan = make_plan(accounts)
    assert missing_from(render_text(plan, organisation="Acme Surveys"), plan) == []


def test_it_numbers_the_accounts_and_steps_in_plan_order() -> None:
    plan = make_plan(5)
    text = render_text(plan, organisation="Acme Surveys")
    headings = [line for line in text.splitlines() if line.startswith("## ") and "(" in line]
    assert headings[0].startswith("## Northwind Traders 1 (northwind1.example")
    assert len(headings) == 5
    titles = [step.title for step in plan.accounts[0].steps]
    positions = [text.index(f"### {i}. {t}") for i, t in enumerate(titles, start=1)]
    assert positions == sorted(positions)


def test_it_gives_the_current_path_once_per_step_and_the_legacy_prefix_once() -> None:
    plan = replace(make_plan(1), caveats=("Older consoles: Administration → Gateway → Policies",))
    text = render_text(plan)
    step = plan.accounts[0].steps[0]
    assert f"Menu: {step.path.current}" in text
    assert step.path.legacy not in text  # the legacy prefix is said once, in the caveats
    assert text.count("Older consoles") == 1
    assert "- Policy Narrative: Safelist: permit survey mail from member@" in text
    assert "- Source IP Ranges (n.n.n.n/x): 185.5.88.10/32\n" in text


def test_it_marks_inferred_values_and_says_why_once() -> None:
    plan = make_plan(1)
    step = plan.accounts[0].steps[0]
    marked = replace(step, settings=(replace(step.settings[1], inferred=True), *step.settings[2:]))
    account = replace(plan.accounts[0], steps=(marked,))
    plan = replace(plan, accounts=(account,), inferred=("Select Option: not documented.",))
    text = render_text(plan)
    assert "- Select Option: Permit Sender ‡" in text
    assert text.count("‡ Select Option: not documented.") == 1
    assert "## If something doesn't match" in text


def test_it_says_first_what_no_policy_can_fix() -> None:
    plan = make_plan(1)
    account = replace(plan.accounts[0], blockers=("DMARC fails: publish the DKIM key.",))
    text = render_text(replace(plan, accounts=(account,)))
    assert text.index("First: DMARC fails") < text.index("### 1.")


def test_it_never_shows_internal_labels() -> None:
    text = render_text(make_plan(5))
    assert "§" not in text and "reference" not in text.lower()


def test_it_leaves_out_ip_ranges_when_the_plan_uses_addresses_only() -> None:
    text = render_text(make_plan(1, basis=Basis.ADDRESS))
    assert "185.5.88.10" not in text
    assert "Source IP Ranges" not in text


def test_it_shows_the_unicode_form_beside_an_idn_address() -> None:
    text = render_text(make_plan(1))
    assert "umfragen@xn--bcher-kva.example (umfragen@bücher.example)" in text


def test_it_shows_each_accounts_summary() -> None:
    plan = make_plan(1)
    account = replace(plan.accounts[0], summary="At Northwind, add Permitted Senders.")
    text = render_text(replace(plan, accounts=(account,)))
    assert "At Northwind, add Permitted Senders." in text


def test_it_shows_customer_markup_as_text_not_as_markdown_or_html() -> None:
    text = render_text(hostile_plan(9), organisation='<img src="http://127.0.0.1:9/x">')
    assert 'for mail from \\<img src="http://127.0.0.1:9/x"\\>' in text
    assert '## Evil \\<img src="http://127.0.0.1:9/x"\\> url(http://127.0.0.1:9/y) (' in text


def test_it_keeps_the_plans_order() -> None:
    plan = make_plan(5)
    assert in_plan_order(render_text(plan), plan) == expected_strings(plan)


def test_the_shared_address_display_name_case_stays_within_its_word_budget() -> None:
    """Half the 1,711 words the same plan took before caveats were said once (bench/
    instructions_size.py measures both cases)."""
    plan = build_plan(
        request(
            unverified("luke@somecompany.example", unique_links=True),
            account("somecompany.example", organisation="Some Company", bulk=True),
            platform_ips=ips("192.0.2.10", "192.0.2.11", "192.0.2.12", "198.51.100.0/24"),
        )
    )
    words = len(render_text(plan, organisation="Some Company").split())
    assert words <= 855, words
