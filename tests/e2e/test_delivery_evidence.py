"""A real Postfix sends to a greylisting gateway; its log is ingested with `ingest_maillog`; the
support profile of a customer with that recipient organisation shows the verdict and the chart."""

import re
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from apps.customers.models import ChecklistTick
from tests.e2e import axe
from tests.mailserver import MailGateway, PostfixInstance
from tests.support.factories import make_profile

PASSWORD = "e2e-only-Support-password-41!"


def test_support_sees_the_verdict_from_a_real_postfix_log(
    live_server, page: Page, output_path, postfix: PostfixInstance, mail_gateway: MailGateway
) -> None:
    get_user_model().objects.create_user("agent", password=PASSWORD, is_staff=True)
    profile = make_profile(
        "Own Org Ltd", recipients={"Partner Org": ["partnerorg.example"]}, gateway="mimecast"
    )
    mail_gateway.policy.greylisting["partnerorg.example"] = 2.0
    postfix.send(
        sender="bounce@bounce.platform-test.invalid",
        to="someone@partnerorg.example",
        header_from="surveys@platform-test.invalid",
        subject="Survey",
        body="Please take part.",
    )
    log = postfix.wait_done(lambda text: "@partnerorg.example>," in text and "status=sent" in text)
    deferred = len(re.findall(r"@partnerorg\.example>,.*status=deferred", log))
    assert deferred >= 1
    call_command("ingest_maillog", str(postfix.maillog), "--year", str(datetime.now(UTC).year))
    # IT ticks the Greylisting step after that send.
    account = profile.recipient_accounts.get()
    ChecklistTick.objects.create(
        profile=profile, account_ref=account.ref, step_key="greylisting_bypass-1"
    )
    today = datetime.now(UTC)
    share = round(100 * deferred / (deferred + 1))

    page.goto(f"{live_server.url}/support/p/{profile.support_ref}/")
    page.get_by_label("Username").fill("agent")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Own Org Ltd")).to_be_visible()
    evidence = page.get_by_test_id("delivery-evidence")
    expect(evidence.get_by_test_id("delivery-verdict")).to_have_text(
        f"Greylisting deferrals were {share} % before the Greylisting step was ticked on "
        f"{today.day} {today:%b}; no mail to Partner Org has been logged since."
    )
    expect(evidence.get_by_role("img")).to_have_count(1)
    expect(evidence.get_by_test_id("tick-marker")).to_have_count(1)
    page.screenshot(path=Path(output_path) / "support-delivery-evidence.png", full_page=True)
    axe.check(page, "support profile with delivery evidence")

    # The domain's own figures, one click away.
    evidence.get_by_role("link", name="partnerorg.example").click()
    expect(
        page.get_by_role("heading", level=1, name="Delivery to partnerorg.example")
    ).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("greylisting")
