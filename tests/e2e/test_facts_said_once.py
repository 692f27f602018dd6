"""One truth, stated once, where the customer looks (issue 12, items 8, 10, 11 and 12): the
customer's page leads with their own DNS changes, a domain that can't receive email is flagged
as it is typed, a rate-limit refusal sits next to the refused control and says when to retry,
and the page title follows the wizard's htmx steps."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from apps.customers import services
from tests.customers.factories import make_checked_profile, make_profile

pytestmark = pytest.mark.e2e


def test_the_customers_page_leads_with_the_spf_record_their_domain_lacks(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    profile = make_checked_profile("surveys@nospf.spf.example")

    page.goto(f"{live_server.url}/p/{profile.token}/instructions/")
    # The first thing after the page heading is what to publish at the customer's own domain.
    first = page.locator("h1 + *")
    expect(first).to_have_attribute("data-testid", "own-dns")
    spf = first.get_by_test_id("own-dns-action").first
    expect(spf).to_contain_text("SPF: missing")
    expect(spf.locator("code").last).to_have_text("v=spf1 include:spf.ssmx.net ~all")
    # The plan below uses the same word for it, never "couldn't check".
    expect(page.locator("main")).not_to_contain_text("could not check")


def _step_3(page: Page, base: str) -> None:
    profile = make_profile()
    services.sending_identity_set(
        profile=profile,
        mode="unverified_address",
        from_addresses=[],
        display_name="",
        customer_address="luke@ownorg.example",
    )
    page.goto(f"{base}/p/{profile.token}/recipients/")
    expect(page.locator("#step-heading")).to_have_text("Who receives")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("gmial.com", "did you mean gmail.com?"), ("null-mx.gateways.example", "null MX")],
)
def test_it_flags_a_domain_that_cannot_receive_email_as_it_is_typed(
    live_server: Any, page: Page, wizard_settings: None, typed: str, shown: str
) -> None:
    _step_3(page, live_server.url)
    page.get_by_label("Organisation that receives your invitations").fill("Typo Ltd")
    page.get_by_label("Its email domain(s)").fill(typed)
    live = page.locator("#live-badges").get_by_test_id("cant-receive")
    expect(live).to_contain_text("can't receive email — check the spelling")
    expect(live).to_contain_text(shown)

    page.get_by_role("button", name="Add organisation").click()
    card = page.locator("#recipients li.card")
    expect(card.get_by_test_id("badge")).to_have_text("can't receive email")
    expect(card.get_by_test_id("cant-receive")).to_contain_text("check the spelling")
    # Not the "couldn't find out just now" of a real DNS failure.
    expect(card).not_to_contain_text("just now")


def test_a_refused_check_is_said_next_to_its_field_with_when_to_retry(
    live_server: Any, page: Page, wizard_settings: None, settings: Any
) -> None:
    # An hour's window, so that no window rolls over between the check and the refused one.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1/h"}
    _step_3(page, live_server.url)
    page.get_by_label("Organisation that receives your invitations").fill("Partner Org")
    domains = page.get_by_label("Its email domain(s)")
    domains.fill("partnerorg.example")
    expect(page.locator("#live-badges")).to_contain_text("partnerorg.example")
    # The add of the domain just checked looks up nothing new: it is not refused.
    page.get_by_role("button", name="Add organisation").click()
    expect(page.locator("#recipients li.card")).to_have_count(1)

    page.get_by_label("Organisation that receives your invitations").fill("Own Org")
    page.get_by_label("Its email domain(s)").fill("ownorg.example")
    note = page.get_by_test_id("rate-limited")
    expect(note).to_contain_text(re.compile(r"try again in \d+ (seconds?|minutes)"))
    # Beside the refused field, not in a box at the top of the page.
    expect(page.locator("#add-organisation").get_by_test_id("rate-limited")).to_have_count(1)
    expect(page.locator("#wizard-error")).to_be_hidden()


def test_the_page_title_follows_each_htmx_step(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    page.goto(f"{live_server.url}/start/")
    expect(page).to_have_title("Step 1 of 5: About you · Safelist")
    page.get_by_label("Your organisation").fill("Own Org")
    page.get_by_label("Your name").fill("Luke Example")
    page.get_by_label("Your email address").fill("luke@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#step-heading")).to_have_text("How you send")
    expect(page).to_have_title("Step 2 of 5: How you send · Safelist")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#step-heading")).to_have_text("Who receives")
    expect(page).to_have_title("Step 3 of 5: Who receives · Safelist")
    page.go_back()
    expect(page.locator("#step-heading")).to_have_text("How you send")
    expect(page).to_have_title("Step 2 of 5: How you send · Safelist")
