"""The customer's path through the wizard, over HTTP, as the smoke test walks it."""

from __future__ import annotations

from typing import Protocol

from tests.smoke.harness import Browser


class Check(Protocol):
    def __call__(self, what: str, condition: bool, detail: object = "") -> None: ...


def walk_wizard(check: Check, browser: Browser) -> list[str]:
    """Walk the wizard; returns what must never appear in the logs (tokens, addresses)."""
    start = browser.get("/start/")
    check("GET /start/ answers 200", start.status == 200, start.status)
    return []
