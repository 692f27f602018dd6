from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e import axe


def test_it_opens_the_home_page_and_follows_start(live_server, page: Page, output_path) -> None:
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mimecast")
    page.screenshot(path=Path(output_path) / "home.png", full_page=True)
    axe.check(page, "home")

    page.get_by_role("link", name="Start").click()

    expect(page).to_have_url(f"{live_server.url}/start/")
    expect(page.locator("main")).to_be_visible()
