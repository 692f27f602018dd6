"""Small builders for generator inputs; every test states only what matters to it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from apps.policies.types import (
    AccountPlan,
    Basis,
    GatewayInfo,
    Mode,
    Plan,
    PlanRequest,
    PlatformInfo,
    PlatformIPs,
    PolicyId,
    RecipientAccount,
    SendingDomainFacts,
    SendingIdentity,
    Step,
)

SHARED = "member@platform-mail.example"
RESOLVED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def platform(**overrides: Any) -> PlatformInfo:
    values: dict[str, Any] = {
        "name": "SurveyCo",
        "shared_address": SHARED,
        "spf_include": "spf.platform-mail.example",
        "server_hostnames": ("ms1.platform-mail.example",),
        "version": "1.1",
    }
    values.update(overrides)
    return PlatformInfo(**values)


def ips(*ranges: str, stale: bool = False) -> PlatformIPs:
    return PlatformIPs(ranges=ranges, resolved_at=RESOLVED, stale=stale)


def mimecast(region: str | None = "eu") -> GatewayInfo:
    return GatewayInfo(name="mimecast", region=region, evidence=("eu-smtp-inbound-1.mimecast.com",))


def account(
    *domains: str, organisation: str = "", gateway: GatewayInfo | None = None, bulk: bool = False
) -> RecipientAccount:
    return RecipientAccount(
        organisation=organisation or domains[0],
        domains=domains,
        gateway=gateway if gateway is not None else mimecast(),
        bulk=bulk,
    )


# Builders leave out the optional URL Protection step (unique links) unless a test asks for it.


def unverified(
    customer: str = "luke@customer.example", display_name: str = "", unique_links: bool = False
) -> SendingIdentity:
    return SendingIdentity(
        mode=Mode.UNVERIFIED_ADDRESS,
        customer_address=customer,
        display_name=display_name,
        unique_links=unique_links,
    )


def verified(
    *addresses: str, display_name: str = "", unique_links: bool = False, customer: str = ""
) -> SendingIdentity:
    return SendingIdentity(
        mode=Mode.VERIFIED_ADDRESS,
        from_addresses=addresses,
        display_name=display_name,
        unique_links=unique_links,
        customer_address=customer,
    )


def sending_domain(
    *addresses: str, whole: bool = False, display_name: str = "", unique_links: bool = False
) -> SendingIdentity:
    return SendingIdentity(
        mode=Mode.SENDING_DOMAIN,
        from_addresses=addresses,
        display_name=display_name,
        permit_whole_domain=whole,
        unique_links=unique_links,
    )


def request(
    sending: SendingIdentity,
    *recipients: RecipientAccount,
    basis: Basis = Basis.ADDRESS,
    platform_ips: PlatformIPs | None = None,
    facts: SendingDomainFacts | None = None,
    **platform_overrides: Any,
) -> PlanRequest:
    return PlanRequest(
        platform=platform(**platform_overrides),
        sending=sending,
        recipients=recipients or (account("recipient.example"),),
        basis=basis,
        platform_ips=platform_ips or PlatformIPs(),
        sending_domain_facts=facts,
        generated_at=RESOLVED,
    )


def policies(account_plan: AccountPlan) -> list[str]:
    return [step.policy.value for step in account_plan.steps]


def steps_of(plan: Plan, policy: PolicyId, index: int = 0) -> list[Step]:
    return [s for s in plan.accounts[index].steps if s.policy is policy]


def settings(step: Step) -> dict[str, str]:
    """Field → value; a repeated field ("Specifically") keeps its first value."""
    out: dict[str, str] = {}
    for setting in step.settings:
        out.setdefault(setting.field, setting.value)
    return out


def all_text(plan: Plan) -> str:
    parts = list(plan.warnings)
    for acc in plan.accounts:
        parts += acc.warnings
        for step in acc.steps:
            parts += [step.title, step.why, *step.notes, *(s.value for s in step.settings)]
    return "\n".join(parts)


_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def addresses_in_plan(plan_text: str) -> set[str]:
    """Every address-looking string in a plan's text, lower-cased."""
    return {match.lower().rstrip(".") for match in _ADDRESS.findall(plan_text)}
