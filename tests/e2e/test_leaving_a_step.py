"""Leaving a step never drops typed answers silently; removing an organisation asks once
(issue 12, item 4)."""

from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.customers.factories import make_account, make_profile

pytestmark = pytest.mark.e2e


def test_back_asks_before_dropping_what_was_typed(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    profile = make_profile()
    page.goto(f"{live_server.url}/p/{profile.token}/recipients/")
    page.get_by_label("Organisation that receives your invitations").fill("Partner Org")
    questions: list[str] = []

    def stay(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_role("link", name="Back").click()
    expect(page.locator("#step-count")).to_have_text("Step 3 of 5")
    expect(page.get_by_label("Organisation that receives your invitations")).to_have_value(
        "Partner Org"
    )
    assert questions and "lose those changes" in questions[0]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Back").click()
    expect(page.locator("#step-count")).to_have_text("Step 2 of 5")


def test_back_does_not_ask_when_nothing_was_typed(
    live_server: Any, page: Page, wizard_settings: None
) -> None:
    profile = make_profile()
    page.goto(f"{live_server.url}/p/{profile.token}/recipients/")
    page.once("dialog", lambda dialog: pytest.fail(f"asked {dialog.message!r}"))
    page.get_by_role("link", name="Back").click()
    expect(page.locator("#step-count")).to_have_text("Step 2 of 5")


def test_remove_asks_once(live_server: Any, page: Page, wizard_settings: None) -> None:
    account = make_account(make_profile())
    page.goto(f"{live_server.url}/p/{account.profile.token}/recipients/")
    card = page.locator("#recipients li.card", has_text="Partner Org")
    page.once("dialog", lambda dialog: dialog.dismiss())
    card.get_by_role("button", name="Remove").click()
    expect(card).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name="Remove").click()
    expect(card).to_have_count(0)
    assert not account.profile.recipient_accounts.exists()
