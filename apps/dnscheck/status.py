"""One vocabulary for every DNS fact: what each status is called and its colour, wherever it shows.

SPF, DKIM, DMARC, a recipient domain's gateway and the platform's IPs each come down to one of
the `CheckStatus` values; the wizard, the instructions page, the IT page, the PDF and text and
the support console all word a status through `label()` and colour it through `tone()`, so a
missing SPF record is "missing" everywhere and only a failed lookup is "couldn't check".

    >>> label(CheckStatus.MISSING), label(CheckStatus.UNKNOWN)
    ('missing', "couldn't check")

`sending_actions()` turns a stored sending-domain report into what the customer must publish,
with the exact record where the platform's facts give it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apps.dnscheck.types import CheckStatus, DomainStatus
from apps.policies.types import PlatformInfo, PlatformIPs

LABELS: dict[CheckStatus, str] = {
    CheckStatus.OK: "OK",
    CheckStatus.WARNING: "needs a change",
    CheckStatus.MISSING: "missing",
    CheckStatus.INVALID: "has a problem",
    CheckStatus.UNKNOWN: "couldn't check",
}

TONES: dict[CheckStatus, str] = {
    CheckStatus.OK: "success",
    CheckStatus.WARNING: "warning",
    CheckStatus.MISSING: "danger",
    CheckStatus.INVALID: "danger",
    CheckStatus.UNKNOWN: "secondary",
}

RECORDS = (("spf", "SPF"), ("dkim", "DKIM"), ("dmarc", "DMARC"))


def parse(value: object) -> CheckStatus:
    """A stored status string as a `CheckStatus`; anything unreadable is "couldn't check"."""
    try:
        return CheckStatus(str(value))
    except ValueError:
        return CheckStatus.UNKNOWN


def label(status: CheckStatus | str) -> str:
    return LABELS[parse(status)]


def tone(status: CheckStatus | str) -> str:
    """The Bootstrap colour of a status badge."""
    return TONES[parse(status)]


def domain_status(status: DomainStatus | str) -> CheckStatus:
    """A recipient domain's MX verdict in the same vocabulary: a gateway found is OK, MX hosts
    we don't recognise need a look, a domain that can't receive mail is missing what it needs,
    and only a failed lookup is "couldn't check"."""
    return {
        DomainStatus.GATEWAY: CheckStatus.OK,
        DomainStatus.UNKNOWN: CheckStatus.WARNING,
        DomainStatus.NO_MX: CheckStatus.WARNING,
        DomainStatus.NULL_MX: CheckStatus.MISSING,
        DomainStatus.NO_MAIL: CheckStatus.MISSING,
        DomainStatus.NOT_FOUND: CheckStatus.MISSING,
        DomainStatus.TYPO: CheckStatus.INVALID,
        DomainStatus.INVALID: CheckStatus.INVALID,
    }.get(DomainStatus(status), CheckStatus.UNKNOWN)


def ips_status(ips: PlatformIPs) -> CheckStatus:
    """The platform's IP ranges: fresh is OK, an old snapshot needs a look, none is unknown."""
    if not ips.ranges:
        return CheckStatus.UNKNOWN
    return CheckStatus.WARNING if ips.stale else CheckStatus.OK


@dataclass(frozen=True)
class Fact:
    """One of a sending domain's records as every page shows it: "SPF: missing", and why."""

    name: str  # SPF / DKIM / DMARC
    status: CheckStatus
    message: str
    record: str = ""
    missing: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        return label(self.status)

    @property
    def tone(self) -> str:
        return tone(self.status)


def sending_facts(report: dict[str, Any] | None) -> list[Fact]:
    """SPF, DKIM and DMARC from a stored `SendingDomainReport` (apps.customers.dnsfacts), or []
    when the domain was never checked."""
    if not report or not report.get("domain"):
        return []
    facts = []
    for key, name in RECORDS:
        check = report.get(key) or {}
        facts.append(
            Fact(
                name=name,
                status=parse(check.get("status")),
                message=str(check.get("message", "")),
                record=str(check.get("record", "")),
                missing=tuple(check.get("missing") or ()),
            )
        )
    return facts


@dataclass(frozen=True)
class Action:
    """One DNS change the customer makes at their own sending domain."""

    fact: Fact
    what: str  # one sentence: what to do and why
    name: str = ""  # the DNS name to publish at ("" when only the record's owner can say)
    value: str = ""  # the exact record text ("" when not known)


def sending_actions(report: dict[str, Any] | None, platform: PlatformInfo) -> list[Action]:
    """What the customer's own sending domain lacks that the platform's mail needs, SPF first:
    e.g. no SPF record → publish `v=spf1 include:spf.ssmx.net ~all` at the domain. Nothing for
    a record that is fine or could not be checked (that is said beside the record, not as a
    change to make)."""
    facts = {fact.name: fact for fact in sending_facts(report)}
    if not facts:
        return []
    domain = str((report or {}).get("display_domain") or (report or {}).get("domain"))
    include = f"include:{platform.spf_include}" if platform.spf_include else ""
    actions: list[Action] = []
    spf = facts["SPF"]
    if spf.status is CheckStatus.MISSING:
        actions.append(
            Action(
                spf,
                f"Publish an SPF record for {domain} that authorises {platform.name}, so "
                "receivers (and their Mimecast) accept mail from it as yours.",
                name=domain,
                value=f"v=spf1 {include} ~all" if include else "",
            )
        )
    elif spf.status in (CheckStatus.WARNING, CheckStatus.INVALID):
        actions.append(
            Action(
                spf,
                f"{spf.message} Change the TXT record at {domain}.",
                name=domain,
                value=include if spf.status is CheckStatus.WARNING else "",
            )
        )
    dkim = facts["DKIM"]
    if dkim.status in (CheckStatus.MISSING, CheckStatus.WARNING):
        for name in dkim.missing:
            actions.append(
                Action(
                    dkim,
                    f"Publish {platform.name}'s DKIM key (a TXT record it gives you) at {name}, so "
                    f"mail from {platform.name} passes DMARC for {domain}.",
                    name=name,
                )
            )
    dmarc = facts["DMARC"]
    if dmarc.status in (CheckStatus.MISSING, CheckStatus.INVALID):
        actions.append(
            Action(
                dmarc,
                f"{dmarc.message} Publish one that only reports to start with; tighten it once "
                "SPF and DKIM pass.",
                name=f"_dmarc.{domain}",
                value="v=DMARC1; p=none",
            )
        )
    return actions
