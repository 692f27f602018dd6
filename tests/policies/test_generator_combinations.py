"""Whole situations: the rules together, as customers meet them."""

from __future__ import annotations

import pytest

from apps.policies.generator import build_plan
from apps.policies.types import Basis, GatewayInfo, Mode
from tests.policies.factories import (
    SHARED,
    account,
    addresses_in_plan,
    all_text,
    ips,
    platform,
    policies,
    request,
    sending_domain,
    unverified,
    verified,
)


def test_shared_address_with_internal_display_name_and_bulk_sends() -> None:
    plan = build_plan(
        request(
            unverified("luke@somecompany.example"),
            account("somecompany.example", bulk=True),
            basis=Basis.ADDRESS_AND_IP,
            platform_ips=ips("192.0.2.10", "192.0.2.11"),
        )
    )
    acc = plan.accounts[0]
    # §9 rule 2: no Anti-Spoofing step for an external From, whatever the display name shows.
    assert policies(acc) == [
        "permitted_senders",
        "impersonation_bypass",
        "greylisting_bypass",
        "verify",
    ]
    assert [a.address for a in acc.whitelist_addresses] == [SHARED]
    (warning,) = plan.warnings
    assert SHARED in warning and "forgeries" not in warning  # the permit is IP-scoped
    assert acc.ip_ranges == ("192.0.2.10/32", "192.0.2.11/32")


def test_own_domain_to_own_organisation() -> None:
    plan = build_plan(
        request(
            sending_domain("surveys@customer.example", display_name="Customer HR"),
            account("customer.example", "customer-group.example"),
            basis=Basis.ADDRESS_AND_IP,
            platform_ips=ips("192.0.2.10"),
        )
    )
    assert policies(plan.accounts[0]) == ["permitted_senders", "anti_spoofing_bypass", "verify"]
    assert plan.warnings == ()


def test_external_recipients_need_only_the_permit() -> None:
    plan = build_plan(
        request(
            sending_domain("surveys@customer.example", display_name="Customer HR"),
            account("partner.example"),
        )
    )
    assert policies(plan.accounts[0]) == ["permitted_senders", "verify"]


def test_several_accounts_get_only_the_steps_each_needs() -> None:
    plan = build_plan(
        request(
            verified("hr@customer.example"),
            account("customer.example", organisation="Customer"),
            account("partner.example", organisation="Partner", bulk=True),
            account(
                "elsewhere.example",
                organisation="Elsewhere",
                gateway=GatewayInfo(name="google", evidence=("aspmx.l.google.com",)),
            ),
            account("unknown.example", organisation="Unknown", gateway=GatewayInfo()),
            platform_ips=ips("192.0.2.10"),
        )
    )
    by_org = {a.organisation: a for a in plan.accounts}
    assert policies(by_org["Customer"]) == ["permitted_senders", "anti_spoofing_bypass", "verify"]
    assert policies(by_org["Partner"]) == ["permitted_senders", "greylisting_bypass", "verify"]
    assert policies(by_org["Elsewhere"]) == [
        "google_approved_senders",
        "google_ip_allowlist",
        "google_email_log_search",
    ]
    assert policies(by_org["Unknown"]) == ["permitted_senders", "verify"]
    assert "Google Workspace" in by_org["Elsewhere"].warnings[0]


@pytest.mark.parametrize("basis", list(Basis))
@pytest.mark.parametrize(
    "sending",
    [
        unverified("luke@customer.example"),
        verified("hr@customer.example", display_name="HR"),
        sending_domain("surveys@customer.example", whole=True),
    ],
    ids=list(Mode),
)
def test_every_mode_and_basis_gives_a_complete_plan(basis: Basis, sending) -> None:
    plan = build_plan(
        request(
            sending,
            account("customer.example", bulk=True),
            account("partner.example"),
            basis=basis,
            platform_ips=ips("192.0.2.10"),
        )
    )
    for acc in plan.accounts:
        assert acc.steps[0].policy.value == "permitted_senders"
        assert acc.steps[-1].policy.value == "verify"
        keys = [s.key for s in acc.steps]
        assert len(keys) == len(set(keys))
        for step in acc.steps:
            assert all(s.field and s.value for s in step.settings)
            uses_ips = any(s.field.startswith("Source IP Ranges") for s in step.settings)
            # The basis governs Permitted Senders; every bypass is IP-scoped when IPs are known.
            if step.policy.value == "permitted_senders":
                assert uses_ips is (basis is not Basis.ADDRESS)
            elif step.policy.value != "verify":
                assert uses_ips


def test_non_mimecast_recipients_only() -> None:
    gateway = GatewayInfo(name="fastmail", evidence=("in1-smtp.messagingengine.example",))
    plan = build_plan(request(unverified(), account("r.example", gateway=gateway)))
    assert plan.accounts[0].steps == ()
    assert plan.warnings == ()  # the shared-address warning is about Mimecast policies


def test_every_address_in_a_plan_comes_from_the_request_or_the_platform() -> None:
    plan = build_plan(
        request(
            unverified("luke@customer.example"),
            account("customer.example", bulk=True),
            bounce_address="bounce@platform-mail.example",
            platform_ips=ips("192.0.2.10"),
        )
    )
    text = (
        all_text(plan)
        + "\n"
        + " ".join(a.address for acc in plan.accounts for a in acc.whitelist_addresses)
    )
    allowed = {SHARED, "bounce@platform-mail.example", "luke@customer.example"}
    assert SHARED in addresses_in_plan(text)
    assert addresses_in_plan(text) <= allowed


def test_it_is_deterministic_and_leaves_the_platform_summary_intact() -> None:
    req = request(verified("hr@customer.example"), platform_ips=ips("192.0.2.10"))
    assert build_plan(req) == build_plan(req)
    assert build_plan(req).platform.version == platform().version
