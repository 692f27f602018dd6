"""The generator never fails on what it is given, and invents nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.policies.generator import build_plan
from apps.policies.types import (
    Basis,
    GatewayInfo,
    Mode,
    PlanRequest,
    PlatformIPs,
    PolicyId,
    RecipientAccount,
    SendingDomainFacts,
    SendingIdentity,
)
from tests.policies.factories import RESOLVED, addresses_in_plan, all_text, platform

domains = st.sampled_from(["customer.example", "partner.example", "Bücher.example", "bad domain"])
addresses = st.one_of(
    st.builds("{}@{}".format, st.sampled_from(["hr", "Luke", "a.b"]), domains),
    st.text(max_size=12),
)
gateways = st.builds(
    GatewayInfo,
    name=st.sampled_from([None, "mimecast", "google", "odd-gateway"]),
    region=st.sampled_from([None, "eu", "usb", "je", "zz"]),
    also_seen=st.sampled_from([(), ("mimecast",)]),
)
accounts = st.builds(
    RecipientAccount,
    organisation=st.text(max_size=10),
    domains=st.lists(domains, min_size=1, max_size=3).map(tuple),
    gateway=gateways,
    bulk=st.booleans(),
)
requests = st.builds(
    PlanRequest,
    platform=st.just(platform()),
    sending=st.builds(
        SendingIdentity,
        mode=st.sampled_from(list(Mode)),
        from_addresses=st.lists(addresses, min_size=1, max_size=3).map(tuple),
        display_name=st.one_of(st.text(max_size=20), addresses),
        customer_address=addresses,
        permit_whole_domain=st.booleans(),
    ),
    recipients=st.lists(accounts, min_size=1, max_size=4).map(tuple),
    basis=st.sampled_from(list(Basis)),
    platform_ips=st.builds(
        PlatformIPs,
        ranges=st.lists(
            st.sampled_from(["192.0.2.1", "198.51.100.0/24", "2001:db8::/48", "junk"]), max_size=3
        ).map(tuple),
        resolved_at=st.just(RESOLVED),
        stale=st.booleans(),
    ),
    sending_domain_facts=st.one_of(
        st.none(),
        st.builds(
            SendingDomainFacts,
            domain=domains,
            spf_authorises_platform=st.sampled_from([None, True, False]),
        ),
    ),
    generated_at=st.just(RESOLVED),
)


@settings(max_examples=300, deadline=None)
@given(request=requests)
def test_it_plans_any_input_and_invents_no_address(request: PlanRequest) -> None:
    plan = build_plan(request)
    assert len(plan.accounts) == len(request.recipients)
    for account in plan.accounts:
        mailbox = account.gateway.name in ("microsoft365", "google")
        if account.gateway.mimecast_steps_apply and account.whitelist_addresses:
            assert account.steps[0].policy is PolicyId.PERMITTED_SENDERS
        elif mailbox and account.whitelist_addresses:
            assert account.steps[-1].policy.value.endswith(("message_trace", "log_search"))
        else:
            assert account.steps == ()
        if account.steps and not mailbox:
            assert account.steps[-1].policy is PolicyId.VERIFY
    sent = " ".join(
        [
            request.platform.shared_address,
            *request.sending.from_addresses,
            request.sending.display_name,
            request.sending.customer_address,
        ]
    ).replace("Bücher", "xn--bcher-kva")
    known = addresses_in_plan(sent) | addresses_in_plan(sent.replace("xn--bcher-kva", "bücher"))
    assert addresses_in_plan(all_text(plan)) <= known
    inputs = {request.platform.shared_address, *request.sending.from_addresses}
    inputs = {x.strip().lower().replace("bücher", "xn--bcher-kva") for x in inputs}
    for account in plan.accounts:
        for entry in account.whitelist_addresses:
            assert entry.address.lower() in inputs
