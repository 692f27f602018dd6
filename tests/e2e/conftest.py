"""Browser tests: pytest-playwright drives Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: the executable is the system's, and background networking is off
because this machine (and CI) has no route to the internet. Screenshots go to the folder
pytest-playwright gives each test (`output_path`, under test-results/).
"""

import importlib
import os
from typing import Any

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Django refuses sync ORM calls from inside Playwright's event loop without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A shared 2-core machine can take longer than Playwright's 5 s default to render a step under
# load (CI runs the suite twice, beside PostgreSQL and Redis): wait longer before failing.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def platform_facts(transactional_db: None) -> None:
    """The platform's facts as a fresh install has them (migration 0002 seeds them). A live-server
    test empties the database when it ends, seed included, so put them back for the next one."""
    from apps.sending.models import PlatformFacts

    if not PlatformFacts.objects.filter(is_active=True).exists():
        seed = importlib.import_module("apps.sending.migrations.0002_seed_platform_facts").SEED
        PlatformFacts.objects.create(is_active=True, **seed)


@pytest.fixture
def wizard_settings(settings: Any, test_dns: Any) -> None:
    """A wizard walk checks DNS at every step: room for it under the DNS rate limit, and fresh
    counters (the cache holds them)."""
    from django.core.cache import cache

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1000/m"}
    cache.clear()
