"""The whole wizard in Chromium: a customer sending as surveys@ownorg.example to their own
organisation (Mimecast Europe) and to a partner (Mimecast US), both served by the test DNS
server; then IT ticks a step through a share link and the customer sees it."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.customers import selectors
from apps.customers.models import CustomerProfile
from apps.policies.types import PolicyId
from tests.e2e import axe

pytestmark = pytest.mark.e2e


def _shot(page: Page, folder: Path, name: str) -> None:
    """A screenshot of the state, which also has to pass axe-core."""
    page.screenshot(path=folder / f"{name}.png", full_page=True)
    axe.check(page, name)


def _step(page: Page, number: int, title: str) -> None:
    expect(page.locator("#step-count")).to_have_text(f"Step {number} of 5")
    expect(page.locator("#step-heading")).to_have_text(title)


def test_it_walks_the_wizard_and_shares_the_checklist(
    live_server: Any,
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    output_path: str,
    wizard_settings: None,
) -> None:
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/start/")

    # 1. About you
    _step(page, 1, "About you")
    page.get_by_label("Your organisation").fill("Own Org")
    page.get_by_label("Your name").fill("Luke Example")
    page.get_by_label("Your email address").fill("luke@ownorg.example")
    _shot(page, shots, "step-1-about")
    page.get_by_role("button", name="Save and continue").click()

    # 2. How you send: a sending domain, checked live
    _step(page, 2, "How you send")
    expect(page.locator("#resume-url")).to_have_value(re.compile(r"/p/[\w-]{43}/$"))
    page.get_by_label(re.compile("own sending domain")).check()
    page.get_by_label("From address(es)").fill("surveys@ownorg.example")
    page.get_by_label("Sender name (optional)").fill("Own Org surveys")
    page.get_by_label("Sender name (optional)").press("Tab")
    expect(page.get_by_test_id("from-preview")).to_have_text(
        'From: "Own Org surveys" <surveys@ownorg.example>'
    )
    expect(page.get_by_test_id("report-spf")).to_contain_text("SPF: OK")
    _shot(page, shots, "step-2-sending")
    page.get_by_role("button", name="Save and continue").click()

    # 3. Who receives: two organisations, each checked as it is entered
    _step(page, 3, "Who receives")
    page.get_by_label("Organisation that receives your invitations").fill("Own Org")
    page.get_by_label("Its email domain(s)").fill("ownorg.example")
    expect(page.locator("#live-badges")).to_contain_text("Mimecast · Europe")
    page.get_by_role("button", name="Add organisation").click()
    own = page.locator("#recipients li.card", has_text="Own Org")
    expect(own).to_contain_text("Mimecast · Europe")
    expect(own).to_contain_text("your own domain")

    page.reload()  # nothing is lost: the answers are saved as they are entered
    _step(page, 3, "Who receives")
    expect(page.locator("#recipients li.card", has_text="Own Org")).to_contain_text(
        "Mimecast · Europe"
    )

    page.get_by_label("Organisation that receives your invitations").fill("Partner Org")
    page.get_by_label("Its email domain(s)").fill("partnerorg.example")
    page.get_by_role("button", name="Add organisation").click()
    expect(page.locator("#recipients li.card", has_text="Partner Org")).to_contain_text(
        "Mimecast · United States"
    )
    _shot(page, shots, "step-3-recipients")
    page.get_by_role("button", name="Continue").click()

    # 4. Options: the partner gets bulk sends; policies match on addresses
    _step(page, 4, "Options")
    page.get_by_role("group", name="Which organisations get bulk").get_by_label(
        "Partner Org"
    ).check()
    _shot(page, shots, "step-4-options")
    page.get_by_role("button", name="Save and continue").click()

    # 5. Review, then the instructions
    _step(page, 5, "Review")
    expect(page.locator("#wizard-panel")).to_contain_text("surveys@ownorg.example")
    _shot(page, shots, "step-5-review")
    page.get_by_role("button", name="Show my instructions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your Mimecast instructions")

    profile = CustomerProfile.objects.get()
    plan = selectors.plan_for_profile(profile)
    own_plan, partner_plan = plan.accounts
    assert own_plan.organisation == "Own Org"
    assert any(s.policy is PolicyId.PERMITTED_SENDERS for s in partner_plan.steps)
    # Mail "from" ownorg.example to ownorg.example meets Mimecast's anti-spoofing (§2).
    assert {s.policy for s in own_plan.steps} & {
        PolicyId.ANTI_SPOOFING_BYPASS,
        PolicyId.ANTI_SPOOFING_SPF_BYPASS,
    }
    for account in plan.accounts:
        card = page.locator(f"#account-{account.ref}")
        expect(card).to_contain_text(account.organisation)
        expect(card.locator("li.plan-step")).to_have_count(len(account.steps))
        for step in account.steps:
            expect(card.locator(f"#step-{account.ref}-{step.key} h3")).to_contain_text(step.title)
    _shot(page, shots, "instructions")

    # Share with IT, who ticks the first step in a browser of their own
    page.get_by_role("button", name="Create a link for each organisation").click()
    share_url = page.locator(f"#share-{partner_plan.ref}").get_by_test_id("share-url").input_value()
    assert "/it/" in share_url

    it_context = browser.new_context(**browser_context_args)
    it_page = it_context.new_page()
    it_page.goto(share_url)
    first = partner_plan.steps[0]
    it_step = it_page.locator(f"#step-{partner_plan.ref}-{first.key}")
    axe.check(it_page, "IT page")
    # Each tick button names its step: five identical names told a screen reader nothing.
    named = re.compile(
        f"^Mark this step as done\\W+{re.escape(first.title)}, for {partner_plan.organisation}$"
    )
    expect(it_page.get_by_role("button", name=named)).to_have_count(1)
    it_step.get_by_role("button", name="Mark this step as done").click()
    expect(it_step.get_by_test_id("step-done")).to_have_text("Done")
    _shot(it_page, shots, "it-share-link")
    it_context.close()

    page.reload()
    expect(
        page.locator(f"#step-{partner_plan.ref}-{first.key}").get_by_test_id("step-done")
    ).to_have_text("Done — ticked by IT")
    _shot(page, shots, "instructions-ticked")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    _shot(page, shots, "instructions-phone")


def _complete_profile() -> CustomerProfile:
    from apps.customers import services
    from tests.customers.factories import make_complete_profile

    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    services.profile_complete(profile=profile)
    return profile


def test_it_shows_only_the_fields_of_the_chosen_sending_mode(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    from tests.customers.factories import make_profile

    profile = make_profile()
    page.goto(f"{live_server.url}/p/{profile.token}/sending/")
    own_address = page.get_by_label("Your email address", exact=True)
    from_addresses = page.get_by_label("From address(es)")
    whole_domain = page.get_by_label(re.compile("Permit every address"))

    page.get_by_label(re.compile("platform's shared address")).check()
    expect(own_address).to_be_visible()
    expect(from_addresses).to_be_hidden()
    page.get_by_label(re.compile("own verified address")).check()
    expect(own_address).to_be_hidden()
    expect(from_addresses).to_be_visible()
    expect(whole_domain).to_be_hidden()
    page.get_by_label(re.compile("own sending domain")).check()
    expect(whole_domain).to_be_visible()
    expect(page.get_by_role("button", name="Check my domain")).to_be_visible()

    # A failed save puts the keyboard on the field to fix.
    from_addresses.fill("")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_label("From address(es)")).to_be_focused()
    expect(page.get_by_test_id("error-summary")).to_contain_text("From address(es)")


def test_it_switches_console_paths_and_copies_with_javascript(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    profile = _complete_profile()
    page.goto(f"{live_server.url}/p/{profile.token}/instructions/")
    step = page.locator("li.plan-step").first
    expect(page.get_by_role("button", name="Legacy console")).to_be_visible()
    expect(step.locator(".path-current")).to_be_visible()
    expect(step.locator(".path-legacy")).to_be_hidden()
    page.get_by_role("button", name="Legacy console").click()
    expect(step.locator(".path-legacy")).to_be_visible()
    expect(step.locator(".path-current")).to_be_hidden()
    expect(page.get_by_role("button", name="Legacy console")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()


def test_it_works_without_javascript(
    live_server: Any,
    browser: Browser,
    browser_context_args: dict[str, Any],
    wizard_settings: None,
) -> None:
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/start/")
    page.get_by_role("button", name="Save and continue").click()  # a full-page post
    expect(page.get_by_test_id("error-summary")).to_contain_text("Your organisation")
    page.get_by_label("Your organisation").fill("Own Org")
    page.get_by_label("Your name").fill("Luke Example")
    page.get_by_label("Your email address").fill("luke@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()

    _step(page, 2, "How you send")
    # Every mode's fields show, each group headed by when it applies; nothing needs a script.
    expect(page.get_by_label("Your email address", exact=True)).to_be_visible()
    expect(page.get_by_label("From address(es)")).to_be_visible()
    expect(page.get_by_text("If invitations come from your own address or domain")).to_be_visible()
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    page.get_by_label(re.compile("own sending domain")).check()
    page.get_by_label("From address(es)").fill("surveys@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()

    _step(page, 3, "Who receives")
    page.get_by_label("Organisation that receives your invitations").fill("Partner Org")
    page.get_by_label("Its email domain(s)").fill("partnerorg.example")
    page.get_by_role("button", name="Add organisation").click()
    expect(page.locator("#recipients li.card", has_text="Partner Org")).to_contain_text(
        "Mimecast · United States"
    )
    page.get_by_role("button", name="Continue").click()
    _step(page, 4, "Options")
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 5, "Review")
    page.get_by_role("button", name="Show my instructions").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your Mimecast instructions")
    step = page.locator("li.plan-step").first
    expect(step.locator(".path-current")).to_be_visible()
    expect(step.locator(".path-legacy")).to_be_visible()  # no toggle: both paths show
    expect(page.locator("[data-console-toggle]")).to_be_hidden()
    expect(page.locator("button[data-copy]").first).to_be_hidden()
    page.get_by_role("button", name="Create a link for each organisation").click()
    expect(page.get_by_test_id("share-url").first).to_have_value(re.compile("/it/"))
    context.close()
