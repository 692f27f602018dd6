"""The support console's hourly figures for one recipient domain, drawn as server-side SVG."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from apps.delivery.chart import PLOT_BOTTOM, hourly_chart
from apps.delivery.models import DomainHour
from tests.delivery.helpers import GREYLIST_REPLY, SPOOF_REPLY, ingest_text, line
from tests.support.factories import make_staff

pytestmark = pytest.mark.django_db

URL = reverse("delivery_support:domain", kwargs={"domain": "customer.example"})


def _staff_client() -> Client:
    client = Client()
    client.force_login(make_staff())
    return client


def _ingest() -> None:
    ingest_text(
        "\n".join(
            [
                line("09:00:02", "Q1", "jane@customer.example", "deferred", GREYLIST_REPLY),
                line("09:14:02", "Q1", "jane@customer.example", "sent", "250 Ok"),
                line("11:20:00", "Q2", "ops@customer.example", "bounced", SPOOF_REPLY),
            ]
        )
        + "\n"
    )


def test_it_is_for_staff_only() -> None:
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    customer = Client()
    customer.force_login(make_staff("customer", staff=False))
    assert customer.get(URL).status_code == 403


def test_it_shows_the_figures_and_an_svg_chart() -> None:
    _ingest()
    page = _staff_client().get(URL).content.decode()
    assert "Delivery to customer.example" in page
    assert "<svg" in page and "<rect" in page
    assert "28 Nov 09:00 – delivered 1" in page
    assert "28 Nov 09:00 – deferred 1" in page
    assert "28 Nov 11:00 – rejected 1" in page
    assert "greylisting (a first delivery" in page
    assert "anti-spoofing (mail from outside" in page
    assert "Mimecast (3)" in page
    assert "median 14 min, 95th percentile 14 min" in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_a_domain_without_data_says_so_and_a_bad_name_is_404() -> None:
    client = _staff_client()
    assert "No delivery attempts" in client.get(URL).content.decode()
    bad = reverse("delivery_support:domain", kwargs={"domain": "not a domain"})
    assert client.get(bad).status_code == 404


def test_bars_stack_and_scale_to_the_busiest_hour() -> None:
    start = datetime(2026, 11, 28, 0, tzinfo=UTC)
    rows = [
        DomainHour(domain="d.example", hour=start, delivered=2, rejected={"x": 2}),
        DomainHour(domain="d.example", hour=start.replace(hour=1), delivered=1),
    ]
    chart = hourly_chart(rows, start=start, end=start.replace(hour=2))
    assert chart.top == 4
    delivered, rejected, second = chart.bars
    assert delivered.y + delivered.height == PLOT_BOTTOM  # delivered sits on the axis
    assert rejected.y + rejected.height == pytest.approx(delivered.y)  # rejected on top of it
    assert delivered.height == pytest.approx(rejected.height)
    assert second.height == pytest.approx(delivered.height / 2)
    assert [tick.label for tick in chart.ticks] == ["28 Nov"]


def test_a_month_is_drawn_in_groups_of_hours_with_nothing_lost() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    rows = [
        DomainHour(domain="x.example", hour=start + timedelta(hours=i), delivered=1)
        for i in range(31 * 24)
    ]
    chart = hourly_chart(rows, start=start, end=start + timedelta(days=31))
    assert chart.hours_per_bar == 4
    assert len(chart.bars) == 31 * 6
    assert chart.top == 4
    assert chart.bars[0].title == "01 Nov 00:00–04:00 – delivered 4"
    assert len(chart.ticks) == 31  # one per day
