"""Each IT team sees only its own organisation (issue 12, item 6): the customer makes one link
per organisation in one click, and a link's page, text and ticks cover that organisation only."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.customers import selectors, services
from tests.customers.factories import make_complete_profile

pytestmark = pytest.mark.e2e


def test_each_it_team_gets_a_link_to_its_own_organisation_only(
    live_server: Any,
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    wizard_settings: None,
) -> None:
    profile = make_complete_profile()  # Own Org and Partner Org
    services.dns_recheck(profile=profile)
    services.profile_complete(profile=profile)
    own, partner = selectors.plan_for_profile(profile).accounts

    page.goto(f"{live_server.url}/p/{profile.token}/instructions/")
    page.get_by_role("button", name="Create a link for each organisation").click()
    expect(page.get_by_test_id("share-group")).to_have_count(2)
    expect(page.get_by_test_id("share-url")).to_have_count(2)
    partner_url = page.locator(f"#share-{partner.ref}").get_by_test_id("share-url").input_value()

    it_context = browser.new_context(**browser_context_args)
    it_page = it_context.new_page()
    it_page.goto(partner_url)
    expect(it_page.locator(f"#account-{partner.ref}")).to_be_visible()
    expect(it_page.locator(f"#account-{own.ref}")).to_have_count(0)
    expect(it_page.locator("main")).not_to_contain_text("Own Org")
    text = it_page.request.get(f"{partner_url}instructions.txt").text()
    assert "Partner Org" in text and "Own Org" not in text

    first = partner.steps[0]
    it_page.locator(f"#step-{partner.ref}-{first.key}").get_by_role(
        "button", name="Mark this step as done"
    ).click()
    expect(it_page.get_by_test_id("it-progress")).to_contain_text(f"1 of {len(partner.steps)}")
    it_context.close()

    page.reload()
    expect(page.locator(f"#share-{partner.ref}").get_by_test_id("share-progress")).to_contain_text(
        f"IT has ticked 1 of {len(partner.steps)}"
    )
    expect(page.locator(f"#share-{own.ref}").get_by_test_id("share-progress")).to_contain_text(
        "hasn't ticked any"
    )
