"""From a checked request to a `PlanRequest`: the facts the generator needs, from DNS and the
platform record. The API view and the `plan` command share this; the generator stays pure."""

from __future__ import annotations

import logging
from dataclasses import replace

from apps.api.api_input import PlanInput
from apps.dnscheck import facade
from apps.policies.addresses import domain_of
from apps.policies.generator import needs_platform_ips, sender_of
from apps.policies.types import (
    GatewayInfo,
    Mode,
    PlanRequest,
    PlatformInfo,
    PlatformIPs,
    SendingDomainFacts,
)

logger = logging.getLogger(__name__)


def plan_request(checked: PlanInput, platform: PlatformInfo) -> PlanRequest:
    """Detect the gateways left null, and read the platform's IPs and the sending domain's
    facts only when some step could use them."""
    accounts = [account for account, _ in checked.recipients]
    to_detect = [i for i, (_, detect) in enumerate(checked.recipients) if detect]
    if to_detect:
        found = _detect([accounts[i].domains for i in to_detect])
        for index, gateway in zip(to_detect, found, strict=True):
            accounts[index] = replace(accounts[index], gateway=gateway)
    request = PlanRequest(
        platform=platform,
        sending=checked.sending,
        recipients=tuple(accounts),
        basis=checked.basis,
    )
    if needs_platform_ips(request):
        request = replace(request, platform_ips=_ips(platform))
    facts = _domain_facts(request)
    if facts is not None:
        request = replace(request, sending_domain_facts=facts)
    return request


def _detect(groups: list[tuple[str, ...]]) -> list[GatewayInfo]:
    try:
        found = facade.detect_gateways(groups)
    except Exception:  # the facade promises not to raise; a plan must still come out
        logger.exception("gateway detection failed")
        found = []
    if len(found) != len(groups):
        return [GatewayInfo(detail="Gateway detection failed.") for _ in groups]
    return list(found)


def _ips(platform: PlatformInfo) -> PlatformIPs:
    try:
        return facade.platform_ips(platform)
    except Exception:
        logger.exception("platform IP lookup failed")
        return PlatformIPs()


def _domain_facts(request: PlanRequest) -> SendingDomainFacts | None:
    """The customer's own From domain: its SPF matters where the recipients own it (§9 rule
    3(b)), its DMARC at every recipient (§5). A domain the recipients own is checked first."""
    if request.sending.mode is Mode.UNVERIFIED_ADDRESS:
        return None
    from_domains = [domain_of(a.address) for a in sender_of(request).from_addresses]
    recipient_domains = {d for account in request.recipients for d in account.domains}
    candidates = [d for d in from_domains if d in recipient_domains] + from_domains
    if not candidates:
        return None
    try:
        return facade.sending_domain_facts(candidates[0], request.platform)
    except Exception:
        logger.exception("sending domain lookup failed")
        return None
