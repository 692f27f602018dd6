"""Ticks stay true when instructions change (issue 12, item 7): a changed step loses its tick,
IT's page says what changed since its last visit, and the customer sees IT has something new."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.customers import selectors, services
from tests.customers.factories import make_complete_profile, make_share_link

pytestmark = pytest.mark.e2e


def test_a_changed_step_loses_its_tick_and_it_is_told(
    live_server: Any,
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    wizard_settings: None,
) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    services.profile_complete(profile=profile)
    partner = selectors.plan_for_profile(profile).accounts[1]
    link = make_share_link(profile, account=profile.recipient_accounts.get(ref=partner.ref))
    permit = next(step for step in partner.steps if step.key == "permitted_senders-1")

    it_context = browser.new_context(**browser_context_args)
    it_page = it_context.new_page()
    it_page.goto(f"{live_server.url}/it/{link.token}/")
    expect(it_page.get_by_test_id("it-changes")).to_have_count(0)  # first visit
    step = it_page.locator(f"#step-{partner.ref}-{permit.key}")
    step.get_by_role("button", name="Mark this step as done").click()
    expect(step.get_by_test_id("step-done")).to_have_text("Done")

    # The customer now also matches on the platform's IPs: the Permitted Senders step changes.
    services.options_set(profile=profile, basis="address_and_ip", bulk_refs=set())

    page.goto(f"{live_server.url}/p/{profile.token}/instructions/")
    expect(page.locator(f"#share-{partner.ref}").get_by_test_id("share-news")).to_contain_text(
        "1 step is new or changed"
    )

    it_page.reload()
    step = it_page.locator(f"#step-{partner.ref}-{permit.key}")
    expect(step.get_by_role("button", name="Mark this step as done")).to_be_visible()
    expect(it_page.get_by_test_id("it-changes")).to_contain_text(
        f"Changed, so no longer ticked — please check it again: {permit.title}"
    )
    it_page.reload()  # said once: the next visit has nothing new
    expect(it_page.get_by_test_id("it-changes")).to_have_count(0)
    it_context.close()
