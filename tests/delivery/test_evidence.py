"""Evidence per recipient organisation (did the ticked steps work?) on the support profile, the
customer's instructions and IT's page, and the support home's domains at risk."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import services
from apps.customers.models import ChecklistTick, CustomerProfile
from apps.delivery import selectors
from apps.delivery.chart import PLOT_LEFT, SMALL_WIDTH
from apps.delivery.models import DomainHour
from apps.delivery.selectors import TickedStep, domains_at_risk, organisation_evidence
from tests.customers.factories import make_complete_profile, make_share_link
from tests.support.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
TICKED = NOW - timedelta(days=2, hours=3)


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b}"


def _hours(domain: str, start: datetime, n: int, **per_hour: Any) -> None:
    """n hourly rows from `start`, each with the same counts."""
    for i in range(n):
        DomainHour.objects.create(domain=domain, hour=start + timedelta(hours=i), **per_hour)


def _greylisting_then_fixed(domain: str = "partnerorg.example") -> None:
    # Before the tick: 50 attempts, 19 greylisting deferrals (38 %). After: 20, all delivered.
    _hours(domain, TICKED - timedelta(hours=10), 10, attempts=5, delivered=3)
    DomainHour.objects.filter(domain=domain, hour__lt=TICKED).update(deferred={"greylisting": 2})
    DomainHour.objects.filter(domain=domain, hour=TICKED - timedelta(hours=1)).update(
        deferred={"greylisting": 1}
    )
    _hours(domain, TICKED + timedelta(hours=1), 10, attempts=2, delivered=2)


def _evidence(ticks: list[TickedStep], domain: str = "partnerorg.example") -> str:
    return organisation_evidence(
        organisation="Partner Org", account_ref="r1", domains=[domain], ticks=ticks
    ).verdict


GREYLISTING_TICK = TickedStep("greylisting_bypass", "Greylisting", TICKED)


def test_the_verdict_says_greylisting_fell_after_the_step_was_ticked() -> None:
    _greylisting_then_fixed()
    assert _evidence([GREYLISTING_TICK]) == (
        f"Greylisting deferrals fell from 38 % to 0 after the Greylisting step was ticked on "
        f"{_day(TICKED)}."
    )


def test_the_verdict_without_a_tick_names_the_control_and_its_share() -> None:
    _greylisting_then_fixed()
    verdict = _evidence([TickedStep("verify", "Verify", TICKED)])  # addresses no control
    assert verdict == (
        "No step that addresses it has been ticked yet: greylisting deferred or rejected 27 % "
        "of the 70 attempts to Partner Org in the last 31 days."
    )


def test_the_verdict_without_data_says_so() -> None:
    assert _evidence([]) == "No mail to Partner Org in the platform's logs in the last 31 days."
    assert _evidence([GREYLISTING_TICK]) == (
        "No mail to Partner Org in the platform's logs in the last 31 days."
    )


def test_the_verdict_when_nothing_was_sent_since_the_tick() -> None:
    _hours("partnerorg.example", TICKED - timedelta(hours=4), 2, attempts=4, delivered=2)
    DomainHour.objects.update(deferred={"greylisting": 2})
    assert _evidence([GREYLISTING_TICK]) == (
        f"Greylisting deferrals were 50 % before the Greylisting step was ticked on "
        f"{_day(TICKED)}; no mail to Partner Org has been logged since."
    )


def test_the_verdict_when_the_rejections_did_not_fall() -> None:
    _hours(
        "partnerorg.example",
        TICKED - timedelta(hours=4),
        8,
        attempts=2,
        delivered=1,
        rejected={"anti_spoofing": 1},
    )
    tick = TickedStep("anti_spoofing_bypass", "Anti-Spoofing", TICKED)
    assert _evidence([tick]).startswith(
        f"Anti-spoofing rejections did not fall after the Anti-Spoofing step was ticked on "
        f"{_day(TICKED)}: 50 % before, 50 % since."
    )


def test_the_verdict_picks_the_ticked_step_whose_control_mattered() -> None:
    _greylisting_then_fixed()
    spoofing = TickedStep("anti_spoofing_bypass", "Anti-Spoofing", TICKED - timedelta(hours=1))
    verdict = _evidence([spoofing, GREYLISTING_TICK])
    assert verdict.startswith("Greylisting deferrals fell from 38 % to 0")


def test_the_chart_has_a_bar_per_control_and_a_marker_at_the_tick() -> None:
    _greylisting_then_fixed()
    evidence = organisation_evidence(
        organisation="Partner Org",
        account_ref="r1",
        domains=["partnerorg.example"],
        ticks=[GREYLISTING_TICK],
    )
    chart = evidence.chart
    assert chart is not None
    assert [name for name, _ in chart.legend] == ["delivered", "greylisting"]
    (marker,) = chart.markers
    assert marker.label == f"Greylisting ticked {_day(TICKED)}"
    day_end = NOW.replace(hour=0) + timedelta(days=1) if NOW.hour else NOW
    start = day_end - timedelta(days=31)
    expected = PLOT_LEFT + (TICKED - start).total_seconds() / (31 * 86400) * (
        SMALL_WIDTH - PLOT_LEFT
    )
    assert marker.x == pytest.approx(expected, abs=0.01)
    delivered = sum(
        int(bar.title.rsplit(" ", 1)[1]) for bar in chart.bars if "delivered" in bar.title
    )
    assert delivered == 50


def _ticked_profile() -> tuple[CustomerProfile, Any]:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    link = make_share_link(
        profile, account=profile.recipient_accounts.get(organisation="Partner Org")
    )
    account = profile.recipient_accounts.get(organisation="Partner Org")
    tick = ChecklistTick.objects.create(
        profile=profile, account_ref=account.ref, step_key="greylisting_bypass-1"
    )
    ChecklistTick.objects.filter(pk=tick.pk).update(done_at=TICKED)
    return profile, link


def test_the_customer_and_it_pages_show_the_evidence_for_their_organisation(
    client: Client, test_dns: Any
) -> None:
    profile, link = _ticked_profile()
    _greylisting_then_fixed("partnerorg.example")
    _hours("ownorg.example", NOW - timedelta(days=1), 1, attempts=3, delivered=3)
    customer = client.get(reverse("customer:instructions", kwargs={"token": profile.token}))
    it = client.get(reverse("it:page", kwargs={"token": link.token}))
    verdict = "Greylisting deferrals fell from 38 % to 0 after the Greylisting step"
    assert "Since these steps were done" in customer.text
    assert verdict in customer.text
    assert "All 3 attempts to Own Org in the last 31 days were delivered" in customer.text
    assert verdict in it.text
    assert "Own Org in the last" not in it.text  # IT sees its own organisation only
    assert 'data-testid="tick-marker"' in it.text


def test_the_pages_show_no_evidence_without_data(client: Client, test_dns: Any) -> None:
    profile, link = _ticked_profile()
    customer = client.get(reverse("customer:instructions", kwargs={"token": profile.token}))
    it = client.get(reverse("it:page", kwargs={"token": link.token}))
    assert customer.status_code == it.status_code == 200
    assert "Since these steps were done" not in customer.text
    assert "Since these steps were done" not in it.text


def test_the_support_profile_shows_the_verdict_and_links_the_domain(test_dns: Any) -> None:
    profile, _link = _ticked_profile()
    _greylisting_then_fixed("partnerorg.example")
    client = Client()
    client.force_login(make_staff())
    html = client.get(reverse("support:profile", kwargs={"ref": profile.support_ref})).text
    assert "Greylisting deferrals fell from 38 % to 0" in html
    domain_url = reverse("delivery_support:domain", kwargs={"domain": "partnerorg.example"})
    assert f'href="{domain_url}"' in html


def test_domains_at_risk_are_ranked_by_deferred_and_rejected_attempts() -> None:
    recent = NOW - timedelta(days=1)
    _hours("a.example", recent, 2, attempts=10, deferred={"greylisting": 3})
    _hours("b.example", recent, 1, attempts=10, rejected={"anti_spoofing": 7}, deferred={})
    _hours("c.example", recent, 1, attempts=10, delivered=10)  # nothing at risk
    _hours("d.example", NOW - timedelta(days=9), 1, attempts=50, deferred={"throttling": 50})
    acme = make_profile("Acme", recipients={"B Org": ["b.example"]})
    ranked = domains_at_risk()
    assert [(r.domain, r.at_risk, r.attempts, r.top_control) for r in ranked] == [
        ("b.example", 7, 10, "anti_spoofing"),
        ("a.example", 6, 20, "greylisting"),
    ]
    assert ranked[0].profiles == [selectors.ProfileLink(acme.support_ref, "Acme")]
    assert ranked[1].profiles == []
    assert ranked[1].share == "30 %"


def test_the_support_home_lists_the_domains_at_risk_linking_profiles_by_support_ref() -> None:
    _hours("b.example", NOW - timedelta(days=1), 1, attempts=10, rejected={"anti_spoofing": 7})
    acme = make_profile("Acme", recipients={"B Org": ["b.example"]})
    client = Client()
    client.force_login(make_staff())
    html = client.get(reverse("support:search")).text
    assert "Where the platform's mail is most deferred or rejected" in html
    assert "7 of 10 (70 %)" in html
    assert reverse("support:profile", kwargs={"ref": acme.support_ref}) in html
    assert acme.token not in html


def test_the_support_home_says_so_when_nothing_is_at_risk() -> None:
    client = Client()
    client.force_login(make_staff())
    html = client.get(reverse("support:search")).text
    assert "No deferred or rejected mail in the platform's logs in the last 7 days." in html


def test_the_evidence_is_computed_once_per_ingest(django_assert_num_queries: Any) -> None:
    import io

    from apps.delivery.services import ingest
    from tests.delivery.helpers import GREYLIST_REPLY, line

    yesterday = NOW - timedelta(days=1)

    def ingest_lines(*lines: str, name: str) -> None:
        # Yesterday, whatever day the suite runs: the evidence covers the last 31 days.
        text = "".join(f"{yesterday:%b} {yesterday.day:2d}{x[6:]}\n" for x in lines)
        ingest(io.BytesIO(text.encode()), "postfix", name=name, year=yesterday.year)

    def evidence() -> selectors.OrganisationEvidence:
        return organisation_evidence(
            organisation="Partner Org", account_ref="r1", domains=["org.example"], ticks=[]
        )

    ingest_lines(line("09:00:00", "Q1", "a@org.example", "deferred", GREYLIST_REPLY), name="a")
    assert evidence().attempts == 1
    with django_assert_num_queries(1):  # when the last ingest was, and nothing else
        assert evidence().attempts == 1
    ingest_lines(line("09:14:00", "Q1", "a@org.example", "sent", "250 Ok"), name="b")
    assert evidence().attempts == 2
