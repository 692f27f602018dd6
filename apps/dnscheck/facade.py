"""What the rest of Safelist asks of DNS. Every answer is a plain value; nothing raises.

The implementations live beside this module; callers import only from here.
"""

from collections.abc import Sequence

from apps.policies.types import GatewayInfo, PlatformInfo, PlatformIPs, SendingDomainFacts


def detect_gateways(domain_groups: Sequence[Sequence[str]]) -> list[GatewayInfo]:
    """One `GatewayInfo` per recipient account (a group of its domains), looked up concurrently
    under one overall deadline. Failures come back as `GatewayInfo(name=None, detail="…")`."""
    return [GatewayInfo(detail="Gateway detection is not available yet.") for _ in domain_groups]


def platform_ips(platform: PlatformInfo) -> PlatformIPs:
    """The platform's current source IP ranges: the latest stored snapshot (refreshed from DNS
    when missing or old; the last good snapshot, marked stale, when DNS fails)."""
    return PlatformIPs()


def sending_domain_facts(domain: str, platform: PlatformInfo) -> SendingDomainFacts:
    """SPF / DMARC / DKIM facts about the customer's sending domain."""
    return SendingDomainFacts(domain=domain)
