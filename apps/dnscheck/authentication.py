"""The customer's sending domain: SPF (does it authorise the platform?), DMARC and DKIM.

checkdmarc reads and counts the records (syntax, RFC 7208's 10-lookup and 2-void limits, DMARC's
organisational-domain fallback); pyspf evaluates SPF check_host for the platform's addresses. Both
ask DNS through our resolver (apps.dnscheck.libraries).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import replace
from typing import Any, NamedTuple

import checkdmarc.dmarc
import checkdmarc.spf
import spf

from apps.dnscheck.answers import Status
from apps.dnscheck.libraries import WrappedResolver
from apps.dnscheck.names import organisational_domain, to_display
from apps.dnscheck.resolver import lookup
from apps.dnscheck.types import CheckStatus, RecordCheck
from apps.policies.types import PlatformInfo

SPF_VERSION = re.compile(r"^v=spf1(\s|$)", re.IGNORECASE)
MAX_DNS_LOOKUPS = 10  # RFC 7208 §4.6.4
MAX_VOID_LOOKUPS = 2


class SpfResult(NamedTuple):
    check: RecordCheck
    authorises: bool | None = None  # the platform; None = couldn't tell
    lookups: int | None = None  # DNS-querying terms
    voids: int | None = None  # void lookups


DmarcResult = tuple[RecordCheck, str]  # (check, policy that applies)
DkimResult = tuple[RecordCheck, tuple[str, ...]]  # (check, selectors found)


def _unknown(what: str, detail: str) -> RecordCheck:
    return RecordCheck(CheckStatus.UNKNOWN, f"Couldn't check {what}: {detail}.")


# --- SPF ------------------------------------------------------------------------------------


def check_spf(domain: str, platform: PlatformInfo, platform_ranges: tuple[str, ...]) -> SpfResult:
    """The SPF check, and what the generator needs from it (see SpfResult)."""
    shown = to_display(domain)
    include = f"include:{platform.spf_include}" if platform.spf_include else ""
    missing = (include,) if include else ()
    txt = lookup(domain, "TXT")
    if txt.failed:
        return SpfResult(_unknown("SPF", txt.detail))
    if txt.status is Status.NXDOMAIN:
        return SpfResult(
            RecordCheck(CheckStatus.MISSING, f"{shown} does not exist in DNS."), authorises=False
        )
    records = [text for text in txt.texts() if SPF_VERSION.match(text)] if txt.ok else []
    if not records:
        message = f"{shown} publishes no SPF record."
        if include:
            message += f" Publish one that includes the platform: v=spf1 {include} ~all"
        # No record authorises nothing: that is known, not "couldn't check".
        return SpfResult(
            RecordCheck(CheckStatus.MISSING, message, missing=missing), authorises=False
        )
    if len(records) > 1:
        return SpfResult(
            RecordCheck(
                CheckStatus.INVALID,
                f"{shown} publishes {len(records)} SPF records; receivers treat that as an error "
                "(RFC 7208 §4.5), so none of them counts. Merge them into one.",
                record="\n".join(records),
                missing=missing,
            ),
            authorises=False,
        )
    record = records[0]
    resolver = WrappedResolver()
    try:
        parsed = checkdmarc.spf.parse_spf_record(
            record, domain, resolver=resolver, ignore_too_many_lookups=True
        )
    except checkdmarc.spf.SPFTooManyVoidDNSLookups as error:
        voids = (getattr(error, "data", None) or {}).get("void_dns_lookups")
        return SpfResult(
            RecordCheck(
                CheckStatus.INVALID,
                f"The SPF record names {voids or 'more than 2'} domains that don't exist or have "
                f"no addresses; over {MAX_VOID_LOOKUPS} such void lookups makes receivers reject "
                "it (RFC 7208 §4.6.4).",
                record=record,
            ),
            authorises=False,
            voids=voids,
        )
    except checkdmarc.spf.SPFError as error:
        if resolver.failures:
            return SpfResult(replace(_unknown("SPF", resolver.failures[0].detail), record=record))
        return SpfResult(
            RecordCheck(
                CheckStatus.INVALID,
                f"The SPF record is broken: {error}.",
                record=record,
                missing=missing,
            ),
            authorises=False,
        )
    lookups = int(parsed.get("dns_lookups") or 0)
    voids = int(parsed.get("void_dns_lookups") or 0)
    notes = tuple(str(w) for w in parsed.get("warnings") or ())
    if lookups > MAX_DNS_LOOKUPS:
        return SpfResult(
            RecordCheck(
                CheckStatus.INVALID,
                f"The SPF record needs {lookups} DNS lookups; the limit is {MAX_DNS_LOOKUPS} "
                "(RFC 7208 §4.6.4), so receivers treat it as an error. Remove or flatten some "
                "includes.",
                record=record,
                notes=notes,
            ),
            authorises=False,
            lookups=lookups,
            voids=voids,
        )
    if resolver.failures:
        return SpfResult(
            replace(_unknown("SPF", resolver.failures[0].detail), record=record),
            lookups=lookups,
            voids=voids,
        )
    if platform.spf_include and _includes(parsed.get("parsed") or {}, platform.spf_include):
        return SpfResult(
            RecordCheck(
                CheckStatus.OK,
                f"The SPF record authorises {platform.name}: it includes {platform.spf_include}.",
                record=record,
                notes=notes,
            ),
            authorises=True,
            lookups=lookups,
            voids=voids,
        )
    verdict, failing = _evaluate(domain, platform_ranges)
    if verdict is True:
        return SpfResult(
            RecordCheck(
                CheckStatus.OK,
                f"The SPF record authorises every {platform.name} address, though not by "
                f"including {platform.spf_include}; add the include so future addresses pass too.",
                record=record,
                missing=missing,
                notes=notes,
            ),
            authorises=True,
            lookups=lookups,
            voids=voids,
        )
    if verdict is None:
        reason = failing[0] if failing else f"{platform.name}'s addresses are not known yet"
        return SpfResult(
            replace(_unknown("whether SPF authorises the platform", reason), record=record),
            lookups=lookups,
            voids=voids,
        )
    message = f"The SPF record does not authorise {platform.name}."
    if include:
        message += f" Add {include} before the final all."
    if lookups + 1 > MAX_DNS_LOOKUPS:
        message += f" It already uses {lookups} of {MAX_DNS_LOOKUPS} DNS lookups: make room first."
    return SpfResult(
        RecordCheck(
            CheckStatus.WARNING,
            message,
            record=record,
            missing=missing,
            notes=notes + tuple(f"{ip} does not pass" for ip in failing[:5]),
        ),
        authorises=False,
        lookups=lookups,
        voids=voids,
    )


def _includes(parsed: dict[str, Any], include: str) -> bool:
    target = include.rstrip(".").lower()
    for term in parsed.get("mechanisms") or ():
        if term.get("mechanism") != "include" or term.get("action") != "pass":
            continue
        if str(term.get("value", "")).rstrip(".").lower() == target:
            return True
        if _includes(term.get("parsed") or {}, include):
            return True
    redirect = parsed.get("redirect")
    if isinstance(redirect, dict):
        if str(redirect.get("domain", "")).rstrip(".").lower() == target:
            return True
        return _includes(redirect.get("parsed") or {}, include)
    return False


def _evaluate(domain: str, ranges: tuple[str, ...]) -> tuple[bool | None, list[str]]:
    """pyspf check_host for the first and last address of each platform range: True when all
    pass, False when any does not, None when we couldn't tell."""
    if not ranges:
        return None, []
    failing: list[str] = []
    for cidr in ranges:
        network = ipaddress.ip_network(cidr, strict=False)
        for address in dict.fromkeys((network.network_address, network.broadcast_address)):
            result, explanation = spf.check2(
                i=str(address), s=f"postmaster@{domain}", h=domain, timeout=20
            )
            if result in ("temperror",):
                return None, [explanation]
            if result != "pass":
                failing.append(str(address))
    return not failing, failing


# --- DMARC ----------------------------------------------------------------------------------


def check_dmarc(domain: str) -> DmarcResult:
    """(check, the policy that applies to this domain: none / quarantine / reject or "")."""
    shown = to_display(domain)
    resolver = WrappedResolver()
    try:
        found = checkdmarc.dmarc.query_dmarc_record(domain, resolver=resolver)
    except checkdmarc.dmarc.MultipleDMARCRecords:
        return (
            RecordCheck(
                CheckStatus.INVALID,
                f"{shown} publishes several DMARC records; receivers ignore them all.",
                location=f"_dmarc.{domain}",
            ),
            "",
        )
    except checkdmarc.dmarc.DMARCError as error:
        if resolver.failures:
            return _unknown("DMARC", resolver.failures[0].detail), ""
        if isinstance(error, checkdmarc.dmarc.DMARCRecordNotFound):
            org = organisational_domain(domain)
            where = f"_dmarc.{shown}"
            if org != domain:
                where += f" or at its organisational domain {to_display(org)}"
            return RecordCheck(CheckStatus.MISSING, f"No DMARC record at {where}."), ""
        return RecordCheck(CheckStatus.INVALID, f"The DMARC record is broken: {error}."), ""
    record = str(found["record"])
    location = str(found["location"])
    at = f"_dmarc.{location}"
    try:
        parsed = checkdmarc.dmarc.parse_dmarc_record(record, location, resolver=resolver)
    except checkdmarc.dmarc.DMARCError as error:
        return (
            RecordCheck(
                CheckStatus.INVALID,
                f"The DMARC record is broken: {error}.",
                record=record,
                location=at,
            ),
            "",
        )
    tags = parsed.get("tags") or {}
    inherited = location.rstrip(".").lower() != domain
    # At the organisational domain, its sp= (default: p=) is what applies to a subdomain.
    tag = "sp" if inherited and "sp" in tags else "p"
    policy = str((tags.get(tag) or {}).get("value") or "")
    where = f"at its organisational domain ({to_display(location)})" if inherited else f"at {at}"
    meaning = {
        "none": "receivers only report on failing mail",
        "quarantine": "receivers send failing mail to spam",
        "reject": "receivers refuse failing mail",
    }.get(policy, "")
    message = f"DMARC policy {policy} ({meaning}), published {where}."
    return (
        RecordCheck(
            CheckStatus.OK,
            message,
            record=record,
            location=at,
            notes=tuple(str(w) for w in parsed.get("warnings") or ()),
        ),
        policy,
    )


# --- DKIM -----------------------------------------------------------------------------------


def check_dkim(domain: str, platform: PlatformInfo) -> DkimResult:
    """(check, the platform's selectors published at the domain)."""
    selectors = tuple(s.strip().lower() for s in platform.dkim_selectors if s.strip())
    if not selectors:
        return (
            RecordCheck(
                CheckStatus.UNKNOWN,
                f"{platform.name}'s DKIM selectors are not recorded, so DKIM was not checked.",
            ),
            (),
        )
    found: list[str] = []
    records: list[str] = []
    missing: list[str] = []
    for selector in selectors:
        name = f"{selector}._domainkey.{domain}"
        answer = lookup(name, "TXT")
        if answer.failed:
            return _unknown("DKIM", answer.detail), tuple(found)
        keys = [t for t in answer.texts() if "p=" in t] if answer.ok else []
        if keys:
            found.append(selector)
            records.append(f"{name}: {keys[0]}")
        else:
            missing.append(name)
    if not missing:
        status, message = (
            CheckStatus.OK,
            f"{platform.name}'s DKIM key is published ({', '.join(found)}).",
        )
    elif found:
        status, message = (
            CheckStatus.WARNING,
            f"Some of {platform.name}'s DKIM keys are missing: {', '.join(missing)}.",
        )
    else:
        status, message = (
            CheckStatus.MISSING,
            f"{platform.name}'s DKIM key is not published at {', '.join(missing)}.",
        )
    return RecordCheck(status, message, record="\n".join(records), missing=tuple(missing)), tuple(
        found
    )
