"""axe-core on every page state a user can reach, as the browser shows it after real clicks and
htmx swaps: each wizard step empty and with errors, review, instructions, the IT page, the
support pages, staff sign-in, 404 and 429. The happy path's states are also checked along the
walk in test_wizard.py and test_support.py."""

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from tests.e2e import axe

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-only-Support-password-41!"


@pytest.fixture
def dns(settings: Any, test_dns: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1000/m"}
    cache.clear()


def _errors_shown(page: Page) -> None:
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_be_visible()


def test_every_wizard_state_with_errors_passes_axe(live_server: Any, page: Page, dns: None) -> None:
    page.goto(f"{live_server.url}/start/")
    axe.check(page, "step 1 empty")
    page.get_by_role("button", name="Save and continue").click()
    _errors_shown(page)
    axe.check(page, "step 1 with errors")
    page.get_by_label("Your organisation").fill("Own Org")
    page.get_by_label("Your name").fill("Luke Example")
    page.get_by_label("Your email address").fill("luke@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator("#step-count")).to_have_text("Step 2 of 5")
    axe.check(page, "step 2 empty")
    resume_url = page.locator("#resume-url").input_value()
    page.goto(resume_url.removesuffix("/") + "/review/")  # only step 1 answered
    axe.check(page, "step 5 incomplete")
    page.get_by_role("button", name="Show my instructions").click()
    expect(page.locator("#wizard-panel .alert-danger").first).to_be_visible()
    axe.check(page, "step 5 with errors")

    page.goto(resume_url.removesuffix("/") + "/sending/")
    page.get_by_label(re.compile("own sending domain")).check()
    page.get_by_label("From address(es)").fill("not an email")
    page.get_by_role("button", name="Save and continue").click()
    _errors_shown(page)
    axe.check(page, "step 2 with errors")
    page.get_by_label("From address(es)").fill("surveys@ownorg.example")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator("#step-count")).to_have_text("Step 3 of 5")
    axe.check(page, "step 3 empty")
    page.get_by_role("button", name="Continue").click()
    _errors_shown(page)
    axe.check(page, "step 3 continue with no organisation")
    page.get_by_role("button", name="Add organisation").click()
    _errors_shown(page)
    axe.check(page, "step 3 add with empty fields")
    page.get_by_label("Organisation that receives your invitations").fill("Partner Org")
    page.get_by_label("Its email domain(s)").fill("partnerorg.example")
    page.get_by_role("button", name="Add organisation").click()
    expect(page.locator("#recipients li.card", has_text="Partner Org")).to_contain_text(
        "Mimecast · United States"
    )
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("#step-count")).to_have_text("Step 4 of 5")
    axe.check(page, "step 4 empty")
    # The basis is preselected: only a cleared form can be refused.
    page.locator("input[name=basis]").evaluate_all("els => els.forEach(e => e.checked = false)")
    page.get_by_role("button", name="Save and continue").click()
    _errors_shown(page)
    axe.check(page, "step 4 with errors")


def test_the_error_pages_pass_axe(live_server: Any, page: Page, settings: Any, dns: None) -> None:
    from tests.customers.factories import make_profile

    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None and response.status == 404
    axe.check(page, "404")

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1/h"}
    profile = make_profile()
    check = f"{live_server.url}/p/{profile.token}/recipients/check/?domains="
    page.goto(check + "ownorg.example")
    # Each DNS action counts on its own: the same one again, for a domain not checked yet.
    response = page.goto(check + "partnerorg.example")
    assert response is not None and response.status == 429
    axe.check(page, "429")


def test_every_support_page_passes_axe(
    live_server: Any, page: Page, browser: Browser, dns: None
) -> None:
    from django.contrib.auth import get_user_model

    from apps.customers import services
    from tests.customers.factories import make_complete_profile

    get_user_model().objects.create_user("agent", password=PASSWORD, is_staff=True)
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    services.profile_complete(profile=profile)
    services.share_links_create_missing(profile=profile)

    page.goto(f"{live_server.url}/support/")
    axe.check(page, "staff sign-in")
    page.get_by_label("Username").fill("agent")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Support console")).to_be_visible()
    axe.check(page, "support console")
    page.goto(f"{live_server.url}/support/?q=Example")
    expect(page.get_by_role("link", name="Example Surveys Ltd")).to_be_visible()
    axe.check(page, "support search results")
    page.get_by_role("link", name="Example Surveys Ltd").click()
    expect(page.get_by_role("heading", level=1, name="Example Surveys Ltd")).to_be_visible()
    axe.check(page, "support profile")
    page.goto(f"{live_server.url}/support/affected/")
    axe.check(page, "support affected customers, nothing changed")

    # The platform's IP ranges changed since this customer was told to use them.
    from datetime import timedelta

    from django.utils import timezone

    from apps.customers.models import Basis, PlanRecord
    from apps.sending.models import PlatformFacts, PlatformIPSnapshot

    facts = PlatformFacts.objects.get(is_active=True)
    later = timezone.now() + timedelta(minutes=1)  # after the snapshot the DNS check stored
    for minute, ranges in enumerate([["185.5.88.10/32"], ["194.116.212.0/24"]]):
        PlatformIPSnapshot.objects.create(
            facts=facts, ranges=ranges, resolved_at=later + timedelta(minutes=minute)
        )
    PlanRecord.objects.create(
        profile=profile, plan={}, fingerprint="a11y", basis=Basis.IP, ip_ranges=["185.5.88.10/32"]
    )
    page.goto(f"{live_server.url}/support/affected/")
    expect(page.get_by_role("link", name="Example Surveys Ltd")).to_be_visible()
    axe.check(page, "support affected customers, after an IP change")


def test_copy_tick_and_step_links_are_at_least_24px(
    live_server: Any, page: Page, dns: None
) -> None:
    from apps.customers import services
    from tests.customers.factories import make_complete_profile

    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    (link, *_) = services.share_links_create_missing(profile=profile)
    pages = {
        "button[data-copy]": f"/p/{profile.token}/instructions/",
        ".plan-tick button": f"/it/{link.token}/",
        ".wizard-steps a": f"/p/{profile.token}/review/",
    }
    for selector, path in pages.items():
        page.goto(live_server.url + path)
        expect(page.locator(selector).first).to_be_visible()
        for width, height in axe.SIZES.values():
            page.set_viewport_size({"width": width, "height": height})
            assert axe.small_targets(page, selector) == [], (selector, width)
