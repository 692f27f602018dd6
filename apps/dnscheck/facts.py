"""The facts layer: everything between DNS and the generator.

The customer's (or an API caller's) `Answers` and what DNS says about them (`Facts`) make the
generator's input in one place, `plan_request(answers, facts)`. The API and the `plan` command
gather the facts live (`gather`); the wizard, the customer's pages and support load the ones
stored on the profile (apps.customers.dnsfacts), written and read through the one serializer
here (`check_to_dict` / `check_from_dict`, `report_to_dict` / `report_from_dict`). Same answers
and same DNS give the same plan either way.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from apps.dnscheck import facade
from apps.dnscheck.types import (
    CheckStatus,
    DomainCheck,
    DomainStatus,
    RecordCheck,
    SendingDomainReport,
)
from apps.dnscheck.verdicts import account_gateway
from apps.policies import gateways
from apps.policies.addresses import domain_of
from apps.policies.generator import needs_platform_ips
from apps.policies.types import (
    Basis,
    GatewayInfo,
    Mode,
    PlanRequest,
    PlatformInfo,
    PlatformIPs,
    RecipientAccount,
    SendingIdentity,
)

logger = logging.getLogger("safelist.dns")

# Bumped whenever the stored shape of a check or report changes; older dicts load as unknown.
FACTS_VERSION = 1


@dataclass(frozen=True)
class AccountAnswer:
    """One recipient organisation as the customer (or API caller) described it."""

    organisation: str
    domains: tuple[str, ...]  # A-labels
    bulk: bool = False
    ref: str = ""
    gateway: GatewayInfo | None = None  # chosen by the caller; None = from DNS
    # §10: the customer says Mimecast runs through Microsoft 365's API (MX cannot show it).
    mimecast_api: bool = False


@dataclass(frozen=True)
class Answers:
    sending: SendingIdentity
    accounts: tuple[AccountAnswer, ...]
    basis: Basis = Basis.ADDRESS


@dataclass(frozen=True)
class Facts:
    """What DNS said: each recipient domain's check (by A-label), the sending domain's report,
    and the platform's IP ranges."""

    platform: PlatformInfo
    domains: Mapping[str, DomainCheck] = field(default_factory=dict)
    sending_domain: SendingDomainReport | None = None
    platform_ips: PlatformIPs = field(default_factory=PlatformIPs)


# --- The rules for what matters ------------------------------------------------------------


def domains_to_check(answers: Answers) -> list[str]:
    """The recipient domains whose gateway comes from DNS (not chosen by the caller)."""
    wanted = [d for a in answers.accounts if a.gateway is None for d in a.domains]
    return list(dict.fromkeys(wanted))


def sending_domain_to_check(answers: Answers) -> str:
    """The customer's own From domain whose SPF / DKIM / DMARC count ("" with the platform's
    shared address): its SPF matters where the recipients own it (§9 rule 3(b)), its DMARC at
    every recipient (§5), so a From domain the recipients own comes first."""
    if answers.sending.mode is Mode.UNVERIFIED_ADDRESS:
        return ""
    from_domains = [domain_of(a) for a in answers.sending.from_addresses if "@" in a]
    recipient_domains = {d for account in answers.accounts for d in account.domains}
    candidates = [d for d in from_domains if d in recipient_domains] + from_domains
    return candidates[0] if candidates else ""


def needs_ips(answers: Answers, facts: Facts) -> bool:
    """Whether any step could use the platform's IP ranges (else nobody need look them up)."""
    return needs_platform_ips(_request(answers, facts))


# --- The one builder -----------------------------------------------------------------------


def plan_request(answers: Answers, facts: Facts) -> PlanRequest:
    """The generator's input: the answers, each account's gateway from its domains' checks,
    the platform's IPs only when a step could use them, and the sending domain's facts only
    for the domain that counts."""
    request = _request(answers, facts)
    if needs_platform_ips(request):
        request = replace(request, platform_ips=facts.platform_ips)
    report = facts.sending_domain
    if report is not None and report.domain and report.domain == sending_domain_to_check(answers):
        request = replace(request, sending_domain_facts=report.facts)
    return request


def _request(answers: Answers, facts: Facts) -> PlanRequest:
    return PlanRequest(
        platform=facts.platform,
        sending=answers.sending,
        recipients=tuple(
            RecipientAccount(
                organisation=a.organisation,
                domains=a.domains,
                gateway=_gateway(a, facts.domains),
                bulk=a.bulk,
                ref=a.ref,
            )
            for a in answers.accounts
        ),
        basis=answers.basis,
    )


def _gateway(account: AccountAnswer, checks: Mapping[str, DomainCheck]) -> GatewayInfo:
    if account.gateway is not None:
        return account.gateway
    detected = account_gateway(account.domains, checks)
    if not account.mimecast_api:
        return detected
    return replace(
        detected,
        name=gateways.MIMECAST_API,
        region=None,
        detail="Mimecast Email Security – API, as the customer said (MX cannot show it).",
        forced=True,
    )


# --- Live facts ----------------------------------------------------------------------------


def gather(answers: Answers, platform: PlatformInfo) -> Facts:
    """The facts from DNS now: the recipient domains left to detect and the sending domain
    that counts; the platform's IPs from the latest snapshot, when a step could use them.
    Never raises: a failed lookup is a fact too."""
    checks = facade.check_recipient_domains(domains_to_check(answers))
    facts = Facts(platform=platform, domains=checks)
    if domain := sending_domain_to_check(answers):
        facts = replace(facts, sending_domain=facade.check_sending_domain(domain, platform))
    if needs_ips(answers, facts):
        facts = replace(facts, platform_ips=facade.platform_ips(platform))
    return facts


# --- The one serializer --------------------------------------------------------------------


def check_to_dict(check: DomainCheck) -> dict[str, Any]:
    """A `DomainCheck` as stored JSON."""
    return {"version": FACTS_VERSION, **_jsonable(asdict(check))}


def check_from_dict(data: Mapping[str, Any] | None) -> DomainCheck | None:
    """The stored check back (None when none was stored, or in a shape this code predates)."""
    if not data or data.get("version") != FACTS_VERSION:
        return None
    values = _known(DomainCheck, data)
    values["status"] = DomainStatus(values.get("status", DomainStatus.ERROR))
    for name in ("evidence", "also_seen"):
        values[name] = tuple(values.get(name) or ())
    return DomainCheck(**values)


def report_to_dict(report: SendingDomainReport) -> dict[str, Any]:
    """A `SendingDomainReport` as stored JSON (what support sees the customer was shown)."""
    return {"version": FACTS_VERSION, **_jsonable(asdict(report))}


def report_from_dict(data: Mapping[str, Any] | None) -> SendingDomainReport | None:
    if not data or data.get("version") != FACTS_VERSION:
        return None
    values = _known(SendingDomainReport, data)
    for name in ("spf", "dmarc", "dkim"):
        values[name] = _record_check(values.get(name) or {})
    values["dkim_selectors_found"] = tuple(values.get("dkim_selectors_found") or ())
    return SendingDomainReport(**values)


def _record_check(data: Mapping[str, Any]) -> RecordCheck:
    values = _known(RecordCheck, data)
    values["status"] = CheckStatus(values.get("status", CheckStatus.UNKNOWN))
    values.setdefault("message", "")
    for name in ("missing", "notes"):
        values[name] = tuple(values.get(name) or ())
    return RecordCheck(**values)


def _known(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
