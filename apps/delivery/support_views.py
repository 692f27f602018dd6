"""The support console's view of one recipient domain's delivery figures, hour by hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.delivery import chart, selectors, stats
from apps.delivery.classify import CONTROL_LABELS, Control
from apps.dnscheck.names import InvalidDomain, to_ascii
from apps.policies.gateways import BY_ID
from apps.support.access import staff_required

DAY_CHOICES = (1, 7, 14, 31)


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", "7"))
    except ValueError:
        return 7
    return days if days in DAY_CHOICES else 7


@staff_required
@require_GET
def domain_figures(request: HttpRequest, domain: str) -> HttpResponse:
    try:
        name = to_ascii(domain)
    except InvalidDomain:
        raise Http404("Not a domain name") from None
    latest = selectors.latest_hour(name)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    end = (latest or now) + timedelta(hours=1)
    days = _days(request)
    summary = selectors.domain_summary(name, end=end, days=days)
    controls = [
        (CONTROL_LABELS.get(Control(c), c) if c in Control else c, deferred, rejected)
        for c, deferred, rejected in summary.controls
    ]
    gateways = [
        (BY_ID[g].label if g in BY_ID else "not recognised", n)
        for g, n in sorted(summary.gateways.items(), key=lambda item: -item[1])
    ]
    context = {
        "summary": summary,
        "controls": controls,
        "gateways": gateways,
        "chart": chart.hourly_chart(summary.hours, start=summary.start, end=summary.end),
        "series": chart.SERIES,
        "median_delay": stats.describe(summary.median_delay),
        "p95_delay": stats.describe(summary.p95_delay),
        "days": days,
        "day_choices": DAY_CHOICES,
    }
    return render(request, "delivery/support_domain.html", context)
