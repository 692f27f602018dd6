"""Answers are never silently lost or duplicated: Back, stale tabs, step 1 again, step 3's
Continue with an organisation still typed (issue 12, items 1–3)."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from apps.customers.models import CustomerProfile, SendingMode

pytestmark = pytest.mark.e2e


def _step(page: Page, number: int, title: str) -> None:
    expect(page.locator("#step-count")).to_have_text(f"Step {number} of 5")
    expect(page.locator("#step-heading")).to_have_text(title)


def _about(page: Page, base: str) -> None:
    page.goto(f"{base}/start/")
    page.get_by_label("Your organisation").fill("Own Org")
    page.get_by_label("Your name").fill("Luke Example")
    page.get_by_label("Your email address").fill("luke@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 2, "How you send")


def _own_domain(page: Page) -> None:
    page.get_by_label(re.compile("own sending domain")).check()
    page.get_by_label("From address(es)").fill("surveys@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 3, "Who receives")


def test_it_shows_the_saved_answers_after_browser_back(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    _about(page, live_server.url)
    _own_domain(page)

    page.go_back()
    _step(page, 2, "How you send")
    expect(page.get_by_label(re.compile("own sending domain"))).to_be_checked()
    expect(page.get_by_label("From address(es)")).to_have_value("surveys@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 3, "Who receives")
    assert CustomerProfile.objects.get().sending_mode == SendingMode.SENDING_DOMAIN


def test_it_refuses_a_save_from_a_page_older_than_the_answers(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    _about(page, live_server.url)
    profile = CustomerProfile.objects.get()
    sending_url = f"{live_server.url}/p/{profile.token}/sending/"
    page.goto(sending_url)
    other = page.context.new_page()  # the same step open in a second tab
    other.goto(sending_url)
    _own_domain(other)

    # The first tab still shows the old answers (the shared address): saving it must not
    # overwrite the newer ones without saying so.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_test_id("stale-notice")).to_contain_text("This page was out of date")
    expect(page.get_by_label(re.compile("own sending domain"))).to_be_checked()
    expect(page.get_by_label("From address(es)")).to_have_value("surveys@ownorg.example")
    assert CustomerProfile.objects.get().sending_mode == SendingMode.SENDING_DOMAIN

    page.get_by_role("button", name="Save and continue").click()  # now current: it saves
    _step(page, 3, "Who receives")


def test_it_edits_the_same_profile_when_step_1_is_shown_again(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    _about(page, live_server.url)
    page.go_back()  # to /start/
    _step(page, 1, "About you")
    expect(page.get_by_label("Your organisation")).to_have_value("Own Org")
    page.get_by_label("Your name").fill("Leia Example")
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 2, "How you send")
    profile = CustomerProfile.objects.get()
    assert profile.contact_name == "Leia Example"

    # A new profile only when asked for.
    page.goto(f"{live_server.url}/start/")
    page.get_by_role("link", name="start a new one").click()
    expect(page.get_by_label("Your organisation")).to_have_value("")
    page.get_by_label("Your organisation").fill("Other Org")
    page.get_by_label("Your name").fill("Han Example")
    page.get_by_label("Your email address").fill("han@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()
    _step(page, 2, "How you send")
    assert CustomerProfile.objects.count() == 2


def test_continue_on_step_3_adds_the_organisation_still_typed(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    _about(page, live_server.url)
    _own_domain(page)
    page.get_by_label("Organisation that receives your invitations").fill("Partner Org")
    page.get_by_label("Its email domain(s)").fill("partnerorg.example")
    page.get_by_role("button", name="Continue").click()
    _step(page, 4, "Options")
    account = CustomerProfile.objects.get().recipient_accounts.get()
    assert account.organisation == "Partner Org"
    assert list(account.domains.values_list("domain", flat=True)) == ["partnerorg.example"]


def test_continue_on_step_3_keeps_a_half_typed_organisation_and_says_what_is_missing(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    _about(page, live_server.url)
    _own_domain(page)
    page.get_by_label("Organisation that receives your invitations").fill("Partner Org")
    page.get_by_role("button", name="Continue").click()
    _step(page, 3, "Who receives")
    expect(page.get_by_label("Organisation that receives your invitations")).to_have_value(
        "Partner Org"
    )
    expect(page.locator("#recipients")).to_contain_text(
        "The organisation you typed below is not added yet"
    )
    expect(page.get_by_label("Its email domain(s)")).to_have_attribute("aria-invalid", "true")
    assert not CustomerProfile.objects.get().recipient_accounts.exists()
