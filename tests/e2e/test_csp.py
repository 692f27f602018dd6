"""The Content-Security-Policy blocks nothing Safelist's own pages need, and htmx runs under it."""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/start/"])
def test_the_page_runs_under_the_csp_without_violations(live_server, page: Page, path: str) -> None:
    violations: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    response = page.goto(live_server.url + path)
    assert response is not None and response.ok
    assert "nonce-" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("window.htmx.config.allowEval") is False
    assert page.evaluate("window.htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("typeof window.bootstrap") == "object"
    assert violations == []


def test_an_htmx_step_swaps_in_under_the_csp(live_server, page: Page) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.headers.get("hx-request", "")))
    page.goto(live_server.url + "/start/")
    page.get_by_label("Your organisation").fill("Example Surveys Ltd")
    page.get_by_label("Your name").fill("Sam Example")
    page.get_by_label("Your email address").fill("sam@example.com")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/p/[^/]+/sending/$"))
    assert "true" in requests  # the step was posted by htmx, not by a plain form submit
    assert violations == []
