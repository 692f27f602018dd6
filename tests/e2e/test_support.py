"""Support staff sign in, find a customer by a recipient domain, re-check DNS, download the PDF."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.e2e import axe
from tests.support.factories import make_profile

PASSWORD = "e2e-only-Support-password-41!"


@pytest.fixture
def customer(transactional_db: None) -> object:
    get_user_model().objects.create_user("agent", password=PASSWORD, is_staff=True)
    make_profile("Needle Haystack Ltd", contact_name="Nia Jones", senders=["s@ownorg.example"])
    return make_profile(
        "Own Org Ltd",
        contact_name="Sam Carter",
        contact_email="sam@ownorg.example",
        recipients={"Partner Org": ["partnerorg.example"]},
    )


def test_staff_find_a_customer_recheck_dns_and_download_the_pdf(
    live_server, page: Page, output_path, customer: object, test_dns: object
) -> None:
    out = Path(output_path)
    page.goto(f"{live_server.url}/support/")
    # Anonymous: the sign-in page, which brings staff back to the console.
    page.get_by_label("Username").fill("agent")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Support console")).to_be_visible()
    # Typing before htmx has started would be a plain input: wait for the page's scripts.
    page.wait_for_load_state("load")

    page.get_by_label("Find a customer").fill("partnerorg.example")  # live results, no Enter
    result = page.get_by_role("link", name="Own Org Ltd")
    expect(result).to_be_visible()
    expect(page.get_by_role("link", name="Needle Haystack Ltd")).to_have_count(0)
    page.get_by_label("Find a customer").press("ArrowDown")
    expect(result).to_be_focused()
    page.screenshot(path=out / "support-search.png", full_page=True)
    axe.check(page, "support search, live results")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="Own Org Ltd")).to_be_visible()
    dns = page.locator("#dns-facts")
    expect(dns).to_contain_text("not checked yet")
    dns.get_by_role("button", name="Re-check now").click()
    expect(dns).to_contain_text("Mimecast")
    expect(dns).to_contain_text("us-smtp-inbound-1.mimecast.com")
    # The instructions are rebuilt from the new facts in the same response.
    expect(page.locator("#instructions .plan-account .badge").first).to_contain_text("Mimecast")
    page.screenshot(path=out / "support-profile.png", full_page=True)
    axe.check(page, "support profile after a DNS re-check")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    saved = out / download.suggested_filename
    download.save_as(saved)
    assert download.suggested_filename.endswith(".pdf")
    assert saved.read_bytes().startswith(b"%PDF")
