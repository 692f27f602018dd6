"""One wording for timestamps and badges (apps.policies.wording)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from apps.dnscheck.answers import FAILURES
from apps.dnscheck.types import CANNOT_RECEIVE, DomainStatus
from apps.policies import wording

MOMENT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def test_it_words_a_moment_in_a_sentence_and_as_a_label_in_utc() -> None:
    assert wording.in_sentence(MOMENT) == "on 2 November 2026 at 09:30 UTC"
    assert wording.stamp(MOMENT) == "2 Nov 2026, 09:30 UTC"
    paris = MOMENT.astimezone(timezone(timedelta(hours=1)))
    assert wording.stamp(paris) == "2 Nov 2026, 09:30 UTC"
    assert wording.in_sentence(None) == "at an unrecorded time"
    assert wording.stamp(None) == "unknown"


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(seconds=30), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(hours=3, minutes=59), "3 hours ago"),
        (timedelta(days=2), "2 days ago"),
    ],
)
def test_it_words_an_age(delta: timedelta, words: str) -> None:
    assert wording.age(MOMENT - delta, now=MOMENT) == words


def test_a_domain_badge_names_the_gateway_and_mimecasts_region() -> None:
    badge = wording.domain_badge(status="gateway", gateway="mimecast", region="eu", failure="ok")
    assert badge == wording.Badge("Mimecast · Europe", "success")
    cisco = wording.domain_badge(status="gateway", gateway="cisco", region=None, failure="ok")
    assert cisco == wording.Badge("Cisco Secure Email", "secondary")


def test_every_dns_outcome_has_its_own_words() -> None:
    def text(status: str) -> str:
        return wording.domain_badge(status=status, gateway=None, region=None, failure="").text

    # No mail can reach it, whatever the reason: one plain badge, its message says which.
    assert {text(status) for status in CANNOT_RECEIVE} == {"can't receive email"}
    others = [
        status
        for status in DomainStatus
        if status not in (DomainStatus.GATEWAY, DomainStatus.ERROR, *CANNOT_RECEIVE)
    ]
    assert len({text(status) for status in others} | {"can't receive email"}) == len(others) + 1
    for failure in FAILURES:
        badge = wording.domain_badge(status="error", gateway=None, region=None, failure=failure)
        assert badge.text.startswith("couldn't check (") and "(error)" not in badge.text
    assert wording.domain_badge(status="", gateway=None, region=None, failure="").text == (
        "not checked yet"
    )


def test_a_plan_badge_is_green_only_with_steps_to_follow() -> None:
    assert wording.plan_badge(
        name="mimecast", label="Mimecast", region_label="Europe", has_steps=True
    ) == wording.Badge("Mimecast · Europe", "success")
    assert wording.plan_badge(name="x", label="X", region_label="", has_steps=False).tone == (
        "secondary"
    )
    assert wording.plan_badge(name=None, label="", region_label="", has_steps=False) == (
        wording.Badge("provider not known", "warning")
    )
