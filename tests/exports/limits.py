"""A plan at the app's own limits: 50 recipient organisations of 20 domains each, 20 From
addresses, every policy kind (Mimecast, shared address with a display name at the recipients'
domain, address and IP basis). Built through the API's input check and the pure generator, so
the plan is exactly what the app would make; no DNS is asked (gateways forced)."""

from __future__ import annotations

from datetime import UTC, datetime

from apps.api.api_input import parse_request
from apps.policies.generator import build_plan
from apps.policies.limits import MAX_DOMAINS_PER_ACCOUNT, MAX_FROM_ADDRESSES, MAX_RECIPIENT_ACCOUNTS
from apps.policies.types import (
    GatewayInfo,
    Plan,
    PlanRequest,
    PlatformInfo,
    PlatformIPs,
    RecipientAccount,
)

PLATFORM = PlatformInfo(
    name="SmartSurvey",
    shared_address="member@smartsurveyuser.com",
    spf_include="spf.ssmx.net",
    server_hostnames=("ms1.ssmx.net", "ms7.ssmx.net", "ms8.ssmx.net"),
)


def limits_request(accounts: int = MAX_RECIPIENT_ACCOUNTS) -> dict[str, object]:
    return {
        "sending": {
            "mode": "verified_address",
            "from_addresses": [f"sender{n}@org0-d0.example" for n in range(MAX_FROM_ADDRESSES)],
            "display_name": "Survey team",
        },
        "recipients": [
            {
                "organisation": f"Recipient organisation {a}",
                "domains": [f"org{a}-d{d}.example" for d in range(MAX_DOMAINS_PER_ACCOUNT)],
                "gateway": {"name": "mimecast", "region": "eu"},
                "bulk": True,
            }
            for a in range(accounts)
        ],
        "basis": "address_and_ip",
    }


def limits_plan(accounts: int = MAX_RECIPIENT_ACCOUNTS) -> Plan:
    checked, errors = parse_request(limits_request(accounts))
    assert checked is not None, errors
    request = PlanRequest(
        platform=PLATFORM,
        sending=checked.sending,
        recipients=tuple(
            RecipientAccount(a.organisation, a.domains, a.gateway or GatewayInfo(), a.bulk, a.ref)
            for a in checked.accounts
        ),
        basis=checked.basis,
        platform_ips=PlatformIPs(
            ranges=("185.5.88.10/32", "194.116.212.0/24", "2a05:d018:1a4:b600::/56"),
            resolved_at=datetime(2026, 11, 28, 6, 15, tzinfo=UTC),
        ),
    )
    return build_plan(request)
