"""One gateway verdict for a recipient account from its domains' checks (live or stored)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from apps.dnscheck.types import DomainCheck
from apps.policies.types import GatewayInfo


def account_gateway(domains: Sequence[str], checks: Mapping[str, DomainCheck]) -> GatewayInfo:
    """One verdict for a recipient account from its domains' checks. Mimecast wins when any
    domain is behind it (the instructions are for Mimecast); disagreements are spelt out."""
    if not domains:
        return GatewayInfo(detail="No domains to check.")
    results = [checks[d] for d in domains if d in checks]
    if not results:
        return GatewayInfo(detail="Not checked yet.")
    with_gateway = [c for c in results if c.gateway]
    if all(c.cannot_receive for c in results):
        return GatewayInfo(detail=" ".join(c.message for c in results), receives_mail=False)
    if not with_gateway:
        return GatewayInfo(
            name=None,
            evidence=results[0].evidence,
            detail=" ".join(c.message for c in results),
        )
    mimecast_checks = [c for c in with_gateway if c.is_mimecast]
    chosen = mimecast_checks[0] if mimecast_checks else with_gateway[0]
    detail = chosen.message
    others = [c for c in results if c is not chosen and _verdict(c) != _verdict(chosen)]
    if others:
        disagree = "; ".join(f"{c.display_domain}: {c.badge}" for c in others)
        detail += f" This account's domains disagree ({disagree}); {chosen.display_domain} is used."
    return GatewayInfo(
        name=chosen.gateway,
        region=chosen.region,
        evidence=chosen.evidence,
        detail=detail,
        also_seen=chosen.also_seen,
    )


def _verdict(check: DomainCheck) -> tuple[str | None, str | None, str]:
    return (check.gateway, check.region, check.status)
