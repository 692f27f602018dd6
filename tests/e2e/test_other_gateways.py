"""A customer whose invitations go to a Mimecast, a Microsoft 365 and a Google Workspace
organisation (test DNS zones) walks the wizard to instructions with each gateway's own steps,
and the Microsoft 365 organisation's IT team follows and ticks them from its own share link."""

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.customers import selectors
from apps.customers.models import CustomerProfile
from tests.e2e import axe

pytestmark = pytest.mark.e2e

RECIPIENTS = (
    ("Own Org", "ownorg.example", "Mimecast · Europe"),
    ("Teams Org", "m365org.example", "Microsoft 365"),
    ("Gmail Org", "google.gateways.example", "Google Workspace"),
)


def test_each_gateway_gets_its_own_steps_and_its_it_team_ticks_them(
    live_server: Any,
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    wizard_settings: None,
) -> None:
    page.goto(f"{live_server.url}/start/")
    page.get_by_label("Your organisation").fill("Own Org")
    page.get_by_label("Your name").fill("Luke Example")
    page.get_by_label("Your email address").fill("luke@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator("#step-count")).to_have_text("Step 2 of 5")
    page.get_by_label(re.compile("own verified address")).check()
    page.get_by_label("From address(es)").fill("surveys@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator("#step-count")).to_have_text("Step 3 of 5")
    for organisation, domain, badge in RECIPIENTS:
        page.get_by_label("Organisation that receives your invitations").fill(organisation)
        page.get_by_label("Its email domain(s)").fill(domain)
        page.get_by_role("button", name="Add organisation").click()
        card = page.locator("#recipients li.card", has_text=organisation)
        expect(card).to_contain_text(badge)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#step-count")).to_have_text("Step 4 of 5")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#step-count")).to_have_text("Step 5 of 5")
    page.get_by_role("button", name="Show my instructions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your Mimecast instructions")

    profile = CustomerProfile.objects.get(contact_email="luke@ownorg.example")
    own, teams, gmail = selectors.plan_for_profile(profile).accounts
    assert own.steps[0].policy.value == "permitted_senders"
    assert [s.policy.value for s in teams.steps] == [
        "m365_sender_allow",
        "m365_mail_flow_rule",
        "m365_message_trace",
    ]
    assert gmail.steps[0].policy.value == "google_approved_senders"
    for account in (own, teams, gmail):
        card = page.locator(f"#account-{account.ref}")
        expect(card.locator("li.plan-step")).to_have_count(len(account.steps))
        expect(card).to_contain_text("surveys@ownorg.example")
    teams_card = page.locator(f"#account-{teams.ref}")
    expect(teams_card).to_contain_text("Tenant Allow/Block Lists")
    expect(teams_card).to_contain_text("45 days after last used date")
    expect(
        teams_card.get_by_role("link", name=re.compile("Open the Microsoft 365 console"))
    ).to_be_visible()
    expect(page.locator(f"#account-{gmail.ref}")).to_contain_text("Spam, Phishing and Malware")
    axe.check(page, "instructions with Mimecast, Microsoft 365 and Google recipients")

    page.get_by_role("button", name="Create a link for each organisation").click()
    expect(page.get_by_test_id("share-url")).to_have_count(3)
    teams_url = page.locator(f"#share-{teams.ref}").get_by_test_id("share-url").input_value()

    it_context = browser.new_context(**browser_context_args)
    it_page = it_context.new_page()
    it_page.goto(teams_url)
    expect(it_page.get_by_role("heading", level=1)).to_have_text(
        "Allow-list instructions from Own Org for Teams Org"
    )
    expect(it_page.locator("main")).to_contain_text("your Microsoft 365 filtering")
    expect(it_page.locator(f"#account-{teams.ref}")).to_be_visible()
    expect(it_page.locator(f"#account-{own.ref}")).to_have_count(0)
    expect(it_page.locator("main")).not_to_contain_text("Permitted Senders")
    expect(it_page.locator("main")).not_to_contain_text("Gmail")
    axe.check(it_page, "IT page for a Microsoft 365 organisation")
    first = teams.steps[0]
    it_page.locator(f"#step-{teams.ref}-{first.key}").get_by_role(
        "button", name=re.compile("Mark this step as done")
    ).click()
    expect(it_page.get_by_test_id("it-progress")).to_contain_text(f"1 of {len(teams.steps)}")
    text = it_page.request.get(f"{teams_url}instructions.txt").text()
    assert "Tenant Allow/Block Lists" in text and "Gmail" not in text and "Own Org (" not in text
    it_context.close()
