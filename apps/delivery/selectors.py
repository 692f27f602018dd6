"""Reads of the hourly delivery counts: the support console's figures, the evidence per recipient
organisation shown on the support profile and the customer's and IT's pages, and the support
home's domains at risk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Max

from apps.customers.models import ChecklistTick, CustomerProfile, RecipientAccount, RecipientDomain
from apps.delivery import chart as chart_module
from apps.delivery import stats
from apps.delivery.classify import Control
from apps.delivery.models import DomainHour, IngestSource
from apps.policies import mimecast
from apps.policies.types import PolicyId


class HourRow(NamedTuple):
    """One DomainHour's values (a tuple: no model instance per hour on a page of a month)."""

    hour: datetime
    attempts: int
    delivered: int
    deferred: dict[str, int]
    rejected: dict[str, int]
    delays: dict[str, int]
    gateways: dict[str, int]


@dataclass
class DomainSummary:
    domain: str
    start: datetime
    end: datetime  # exclusive
    hours: list[HourRow]
    attempts: int = 0
    delivered: int = 0
    deferred: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    gateways: dict[str, int] = field(default_factory=dict)
    median_delay: int | None = None
    p95_delay: int | None = None

    @property
    def controls(self) -> list[tuple[str, int, int]]:
        """(control, deferred, rejected), most attempts first."""
        names = set(self.deferred) | set(self.rejected)
        rows = [(n, self.deferred.get(n, 0), self.rejected.get(n, 0)) for n in names]
        return sorted(rows, key=lambda row: (-(row[1] + row[2]), row[0]))


def latest_hour(domain: str) -> datetime | None:
    row = DomainHour.objects.filter(domain=domain).order_by("-hour").only("hour").first()
    return row.hour if row else None


def domain_summary(domain: str, *, end: datetime, days: int) -> DomainSummary:
    """The `days` before `end` (an hour boundary, exclusive) for one recipient domain."""
    start = end - timedelta(days=days)
    hours = [
        HourRow(*values)
        for values in DomainHour.objects.filter(
            domain=domain, hour__gte=start, hour__lt=end
        ).values_list(*HourRow._fields)
    ]
    summary = DomainSummary(domain=domain, start=start, end=end, hours=hours)
    delays: dict[str, int] = {}
    for row in hours:
        summary.attempts += row.attempts
        summary.delivered += row.delivered
        stats.merge(summary.deferred, row.deferred)
        stats.merge(summary.rejected, row.rejected)
        stats.merge(summary.gateways, row.gateways)
        stats.merge(delays, row.delays)
    summary.median_delay = stats.percentile(delays, 0.5)
    summary.p95_delay = stats.percentile(delays, 0.95)
    return summary


# --- Evidence per recipient organisation: did the steps IT ticked work? ---------------------

# The plan steps (policy ids, the prefix of a checklist step key) and the control each addresses
# (classify.policy_for maps the other way).
STEP_CONTROLS: dict[str, Control] = {
    PolicyId.GREYLISTING_BYPASS.value: Control.GREYLISTING,
    PolicyId.ANTI_SPOOFING_BYPASS.value: Control.ANTI_SPOOFING,
    PolicyId.ANTI_SPOOFING_SPF_BYPASS.value: Control.ANTI_SPOOFING,
    PolicyId.PERMITTED_SENDERS.value: Control.REPUTATION,
}
SHORT_LABELS: dict[str, str] = {
    Control.GREYLISTING: "greylisting",
    Control.ANTI_SPOOFING: "anti-spoofing",
    Control.AUTHENTICATION: "authentication (SPF, DKIM, DMARC)",
    Control.REPUTATION: "reputation or block-list",
    Control.THROTTLING: "throttling",
    Control.BLOCKED_SENDER: "blocked-sender",
    Control.UNKNOWN_RECIPIENT: "unknown-recipient",
    Control.OTHER: "other policy",
    Control.UNRECOGNISED: "unrecognised",
}
EVIDENCE_DAYS = 31
COMPARE_DAYS = 14  # before a tick, at most this long is compared with what came after
EVIDENCE_CACHE_SECONDS = 3600  # the key names the hour and the last ingest: an upper bound only


@dataclass(frozen=True)
class TickedStep:
    policy: str  # the step key's policy id ("greylisting_bypass")
    name: str  # "Greylisting"
    done_at: datetime


@dataclass
class OrganisationEvidence:
    organisation: str
    account_ref: str
    domains: list[str]
    attempts: int  # in the chart's window
    verdict: str  # one line, always set
    chart: chart_module.SmallChart | None  # None when there is nothing to draw


class HourCounts(NamedTuple):
    """What the evidence reads of a DomainHour (a tuple: no model instance per hour)."""

    hour: datetime
    attempts: int
    delivered: int
    deferred: dict[str, int]
    rejected: dict[str, int]


@dataclass
class _Period:
    attempts: int = 0
    deferred: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)

    def add(self, row: HourCounts) -> None:
        self.attempts += row.attempts
        stats.merge(self.deferred, row.deferred)
        stats.merge(self.rejected, row.rejected)

    def failed(self, control: str) -> int:
        return self.deferred.get(control, 0) + self.rejected.get(control, 0)


def _percent(part: int, whole: int) -> str:
    if part == 0 or whole == 0:
        return "0"
    value = round(100 * part / whole)
    return f"{value} %" if value >= 1 else "under 1 %"


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b}"


def step_name(policy: str) -> str:
    try:
        name = mimecast.policy_type(PolicyId(policy))
    except ValueError:
        name = ""
    return name or policy.replace("_", " ").capitalize()


def ticked_steps(profile: CustomerProfile, account_ref: str) -> list[TickedStep]:
    """The steps IT ticked for one organisation, oldest first (ChecklistTick, apps/customers)."""
    ticks = ChecklistTick.objects.filter(profile=profile, account_ref=account_ref).order_by(
        "done_at"
    )
    steps = []
    for tick in ticks:
        policy = tick.step_key.rsplit("-", 1)[0]
        steps.append(TickedStep(policy, step_name(policy), tick.done_at))
    return steps


def _verdict(
    organisation: str, rows: list[HourCounts], ticks: list[TickedStep], *, start: datetime
) -> str:
    recent = _Period()
    for row in rows:
        if row.hour >= start:
            recent.add(row)
    relevant = [t for t in ticks if t.policy in STEP_CONTROLS]
    if not rows or (recent.attempts == 0 and not relevant):
        return f"No mail to {organisation} in the platform's logs in the last {EVIDENCE_DAYS} days."
    if not relevant:
        controls = sorted(
            set(recent.deferred) | set(recent.rejected), key=lambda c: -recent.failed(c)
        )
        if not controls:
            return (
                f"All {recent.attempts} attempts to {organisation} in the last {EVIDENCE_DAYS} "
                "days were delivered; no step addressing a control has been ticked yet."
            )
        top = controls[0]
        return (
            f"No step that addresses it has been ticked yet: {SHORT_LABELS.get(top, top)} "
            f"deferred or rejected {_percent(recent.failed(top), recent.attempts)} of the "
            f"{recent.attempts} attempts to {organisation} in the last {EVIDENCE_DAYS} days."
        )
    # The ticked step whose control mattered most before it was ticked.
    candidates: list[tuple[float, int, TickedStep, _Period, _Period]] = []
    for index, tick in enumerate(relevant):
        control = STEP_CONTROLS[tick.policy]
        before, after = _Period(), _Period()
        for row in rows:
            if tick.done_at - timedelta(days=COMPARE_DAYS) <= row.hour < tick.done_at:
                before.add(row)
            elif row.hour >= tick.done_at:
                after.add(row)
        share = before.failed(control) / before.attempts if before.attempts else -1.0
        candidates.append((share, -index, tick, before, after))
    _, _, tick, before, after = max(candidates, key=lambda c: (c[0], c[1]))
    control = STEP_CONTROLS[tick.policy]
    label = SHORT_LABELS[control]
    ticked = f"the {tick.name} step was ticked on {_day(tick.done_at)}"
    if before.attempts == 0:
        return f"{ticked[0].upper()}{ticked[1:]}; no mail to {organisation} before it to compare."
    kind = (
        "deferrals"
        if before.deferred.get(control, 0) >= before.rejected.get(control, 0)
        else "rejections"
    )
    was = _percent(before.failed(control), before.attempts)
    if after.attempts == 0:
        return (
            f"{label.capitalize()} {kind} were {was} before {ticked}; no mail to "
            f"{organisation} has been logged since."
        )
    now = _percent(after.failed(control), after.attempts)
    if before.failed(control) == 0:
        return f"No {label} {kind} before or after {ticked} ({now} since)."
    before_share = before.failed(control) / before.attempts
    after_share = after.failed(control) / after.attempts
    if after_share < before_share:
        return f"{label.capitalize()} {kind} fell from {was} to {now} after {ticked}."
    return (
        f"{label.capitalize()} {kind} did not fall after {ticked}: {was} before, {now} "
        "since. The step may not be saved as shown, or another control is in the way."
    )


def organisation_evidence(
    *,
    organisation: str,
    account_ref: str,
    domains: list[str],
    ticks: list[TickedStep],
    end: datetime | None = None,
) -> OrganisationEvidence:
    """One recipient organisation's delivery since its steps were ticked: a one-line verdict and
    a small daily chart of the last EVIDENCE_DAYS days with a marker per tick.

    Kept in the cache until the next ingest or the next hour (whichever comes first): the
    hourly rows change only when a log is ingested, and the support profile asks for the same
    evidence on every view."""
    if end is None:
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    last_ingest = IngestSource.objects.aggregate(last=Max("updated_at"))["last"]
    key = (
        "delivery-evidence:"
        + hashlib.sha256(
            repr(
                (organisation, account_ref, domains, ticks, end.isoformat(), str(last_ingest))
            ).encode()
        ).hexdigest()
    )
    cached = cache.get(key)
    if isinstance(cached, OrganisationEvidence):
        return cached
    evidence = _organisation_evidence(
        organisation=organisation, account_ref=account_ref, domains=domains, ticks=ticks, end=end
    )
    cache.set(key, evidence, EVIDENCE_CACHE_SECONDS)
    return evidence


def _organisation_evidence(
    *,
    organisation: str,
    account_ref: str,
    domains: list[str],
    ticks: list[TickedStep],
    end: datetime,
) -> OrganisationEvidence:
    day_end = end.replace(hour=0) + timedelta(days=1) if end.hour or end.minute else end
    start = day_end - timedelta(days=EVIDENCE_DAYS)
    earliest = min([start, *(t.done_at - timedelta(days=COMPARE_DAYS) for t in ticks)])
    rows = [
        HourCounts(*values)
        for values in DomainHour.objects.filter(
            domain__in=domains, hour__gte=earliest, hour__lt=end
        ).values_list("hour", "attempts", "delivered", "deferred", "rejected")
    ]
    verdict = _verdict(organisation, rows, ticks, start=start)
    in_window = [row for row in rows if row.hour >= start]
    attempts = sum(row.attempts for row in in_window)
    drawn = None
    if attempts:
        by_day: dict[datetime, dict[str, int]] = {}
        for row in in_window:
            counts = by_day.setdefault(row.hour.replace(hour=0), {})
            counts["delivered"] = counts.get("delivered", 0) + row.delivered
            stats.merge(counts, row.deferred)
            stats.merge(counts, row.rejected)
        days = [
            (start + timedelta(days=i), by_day.get(start + timedelta(days=i), {}))
            for i in range(EVIDENCE_DAYS)
        ]
        markers = [(t.done_at, f"{t.name} ticked {_day(t.done_at)}") for t in ticks]
        drawn = chart_module.daily_chart(days, start=start, end=day_end, markers=markers)
    return OrganisationEvidence(organisation, account_ref, domains, attempts, verdict, drawn)


def evidence_for_profile(
    profile: CustomerProfile, account_refs: set[str] | None = None
) -> list[OrganisationEvidence]:
    """Evidence for each of the profile's recipient organisations (or those in `account_refs`)
    that the platform's logs have mail for; organisations without any are left out."""
    accounts = RecipientAccount.objects.filter(profile=profile).prefetch_related("domains")
    found = []
    for account in accounts:
        if account_refs is not None and account.ref not in account_refs:
            continue
        domains = [d.domain for d in account.domains.all()]
        if not domains or not DomainHour.objects.filter(domain__in=domains).exists():
            continue
        found.append(
            organisation_evidence(
                organisation=account.organisation,
                account_ref=account.ref,
                domains=domains,
                ticks=ticked_steps(profile, account.ref),
            )
        )
    return found


# --- The support home: where the platform's mail is most at risk ---------------------------


@dataclass(frozen=True)
class ProfileLink:
    support_ref: str
    organisation: str  # the customer's


@dataclass
class DomainAtRisk:
    domain: str
    attempts: int
    at_risk: int  # deferred + rejected attempts
    top_control: str
    profiles: list[ProfileLink]  # customers with Safelist instructions for this domain

    @property
    def share(self) -> str:
        return _percent(self.at_risk, self.attempts)

    @property
    def top_label(self) -> str:
        return SHORT_LABELS.get(self.top_control, self.top_control)


AT_RISK_DAYS = 7
AT_RISK_LIMIT = 10


def domains_at_risk(
    *, days: int = AT_RISK_DAYS, limit: int = AT_RISK_LIMIT, end: datetime | None = None
) -> list[DomainAtRisk]:
    """The recipient domains with the most deferred + rejected attempts in the last `days`,
    most first, each with the customers whose Safelist instructions name it."""
    if end is None:
        end = datetime.now(UTC)
    totals: dict[str, _Period] = {}
    rows = DomainHour.objects.filter(hour__gte=end - timedelta(days=days), hour__lt=end)
    for domain, attempts, deferred, rejected in rows.values_list(
        "domain", "attempts", "deferred", "rejected"
    ):
        period = totals.setdefault(domain, _Period())
        period.attempts += attempts
        stats.merge(period.deferred, deferred)
        stats.merge(period.rejected, rejected)
    ranked = sorted(
        (
            (sum(p.deferred.values()) + sum(p.rejected.values()), domain, p)
            for domain, p in totals.items()
        ),
        key=lambda item: (-item[0], item[1]),
    )
    ranked = [item for item in ranked if item[0] > 0][:limit]
    names = [domain for _, domain, _ in ranked]
    links: dict[str, list[ProfileLink]] = {name: [] for name in names}
    for domain, ref, organisation in (
        RecipientDomain.objects.filter(domain__in=names)
        .order_by("account__profile__organisation")
        .values_list("domain", "account__profile__support_ref", "account__profile__organisation")
        .distinct()
    ):
        link = ProfileLink(ref, organisation)
        if link not in links[domain]:
            links[domain].append(link)
    found = []
    for at_risk, domain, period in ranked:
        controls = set(period.deferred) | set(period.rejected)
        top = min(controls, key=lambda c: (-period.failed(c), c))
        found.append(DomainAtRisk(domain, period.attempts, at_risk, top, links[domain]))
    return found
