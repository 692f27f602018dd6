"""Every gateway row in apps/policies/rules/others.py, for each sending mode: the value each
allow field gets is of the address type that gateway's list matches (other-gateways §13.0 rule
4), IP fields carry the platform's ranges (or say they are missing), and the check comes last."""

from __future__ import annotations

import pytest

from apps.policies.generator import build_plan
from apps.policies.rules import others
from apps.policies.types import GatewayInfo
from tests.policies.factories import (
    SHARED,
    account,
    ips,
    request,
    sending_domain,
    unverified,
    verified,
)

MX = {"proofpoint_essentials": ("proofpoint", "mx1-eu1.ppe-hosted.com")}
ENVELOPE = "bounce.platform-mail.example"
RANGES = "192.0.2.10/32, 198.51.100.0/24"
MODES = {
    "shared address": (unverified("luke@elsewhere.example"), SHARED),
    "verified address": (verified("hr@customer.example"), "hr@customer.example"),
    "own domain to own organisation": (
        sending_domain("surveys@recipient.example"),
        "surveys@recipient.example",
    ),
}


@pytest.mark.parametrize("row", list(others.GATEWAYS.values()), ids=list(others.GATEWAYS))
@pytest.mark.parametrize("mode", list(MODES), ids=list(MODES))
@pytest.mark.parametrize("with_ips", [True, False], ids=["ips", "no-ips"])
def test_each_gateway_gives_the_address_type_its_list_matches(
    row: others.Gateway, mode: str, with_ips: bool
) -> None:
    sending, address = MODES[mode]
    name, mx = MX.get(row.id, (row.id, f"mx.{row.id}.example"))
    plan = build_plan(
        request(
            sending,
            account("recipient.example", gateway=GatewayInfo(name=name, evidence=(mx,))),
            platform_ips=ips("192.0.2.10", "198.51.100.0/24") if with_ips else None,
            envelope_domain=ENVELOPE,
        )
    )
    (acc,) = plan.accounts
    assert [s.policy.value for s in acc.steps][-1] == "gateway_check"
    allows = [s for s in acc.steps if s.policy.value == "gateway_allow"]
    assert len(allows) == len(row.allows)
    for step_, allow in zip(allows, row.allows, strict=True):
        values = {x.field: x.value for x in step_.settings}
        for label, kind in allow.fields:
            if kind == others.IP:
                if with_ips:
                    assert values[label] == RANGES
                else:
                    assert label not in values and "IP ranges" in step_.blocked
            elif kind == others.HEADER:
                assert values[label] == address
            elif kind == others.ENVELOPE:
                assert values[label] == ENVELOPE  # never the header From
            elif kind == others.EITHER:
                assert values[label].startswith(address)
        assert step_.help_url.startswith("http")
    for caveat in others.caveats(row):
        assert caveat in plan.caveats
