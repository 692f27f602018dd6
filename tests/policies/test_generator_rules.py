"""Each decision rule of the generator on its own (docs/mimecast-rules.md §9)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from apps.policies.generator import build_plan, for_account, needs_platform_ips
from apps.policies.types import Basis, GatewayInfo, PolicyId, SendingDomainFacts
from tests.policies.factories import (
    SHARED,
    account,
    ips,
    mimecast,
    policies,
    request,
    sending_domain,
    settings,
    steps_of,
    unverified,
    verified,
)

SOURCE_IPS = "Source IP Ranges (n.n.n.n/x)"
HEADER = "The Message From Address (Message Header From)"


# --- Rule 1: one instruction set per recipient account ----------------------------------------


def test_it_gives_each_recipient_account_its_own_instructions() -> None:
    plan = build_plan(
        request(
            verified("hr@customer.example"),
            account("one.example", organisation="One Ltd"),
            account("two.example", organisation="Two plc"),
        )
    )
    assert [a.organisation for a in plan.accounts] == ["One Ltd", "Two plc"]
    for acc in plan.accounts:
        assert policies(acc) == ["permitted_senders", "verify"]
        assert acc.organisation in acc.steps[0].why
        assert acc.organisation in acc.summary


# --- Rule 2: whitelist_addresses are the header From recipients see ---------------------------


@pytest.mark.parametrize(
    ("sending", "expected"),
    [
        (unverified("luke@customer.example"), [SHARED]),
        (verified("Luke@Customer.EXAMPLE"), ["luke@customer.example"]),
        (
            sending_domain("surveys@customer.example", "hr@customer.example"),
            ["surveys@customer.example", "hr@customer.example"],
        ),
        (verified("a@customer.example", "A@CUSTOMER.example"), ["a@customer.example"]),
    ],
    ids=["unverified-shared", "verified-lowercases-domain", "sending-domain", "deduplicated"],
)
def test_it_permits_exactly_the_from_addresses_recipients_see(sending, expected) -> None:
    plan = build_plan(request(sending))
    assert [a.address for a in plan.accounts[0].whitelist_addresses] == expected


def test_it_shows_idn_addresses_in_ascii_beside_unicode() -> None:
    plan = build_plan(request(verified("Surveys@Bücher.EXAMPLE")))
    (entry,) = plan.accounts[0].whitelist_addresses
    assert entry.address == "surveys@xn--bcher-kva.example"
    assert entry.display == "surveys@bücher.example"
    permit = steps_of(plan, PolicyId.PERMITTED_SENDERS)[0]
    assert settings(permit)["Specifically"] == "surveys@xn--bcher-kva.example"


# --- Rule 3: the Permitted Senders form ------------------------------------------------------


@pytest.mark.parametrize(
    ("basis", "applies_from", "source_ips"),
    [
        (Basis.ADDRESS, "Individual Email Address", None),
        (Basis.ADDRESS_AND_IP, "Individual Email Address", "192.0.2.10/32, 198.51.100.0/24"),
        (Basis.IP, "Individual Email Address", "192.0.2.10/32, 198.51.100.0/24"),
    ],
)
def test_its_permitted_sender_follows_the_basis(basis, applies_from, source_ips) -> None:
    plan = build_plan(
        request(
            verified("hr@customer.example"),
            basis=basis,
            platform_ips=ips("192.0.2.10", "198.51.100.0/24"),
        )
    )
    (permit,) = steps_of(plan, PolicyId.PERMITTED_SENDERS)
    fields = settings(permit)
    assert fields["Select Option"] == "Permit Sender"
    assert fields["Addresses Based On"] == HEADER
    assert fields["Applies From"] == applies_from
    assert fields["Applies To"] == "Internal Addresses"
    assert fields.get(SOURCE_IPS) == source_ips
    assert fields["Specifically"] == "hr@customer.example"
    assert permit.path.current == "Policies → Gateway Policies → Permitted Senders"
    assert permit.path.legacy == "Administration → Gateway → Policies → Permitted Senders"


def test_it_writes_one_permitted_sender_per_address() -> None:
    plan = build_plan(request(sending_domain("a@customer.example", "b@customer.example")))
    permits = steps_of(plan, PolicyId.PERMITTED_SENDERS)
    assert [settings(p)["Specifically"] for p in permits] == [
        "a@customer.example",
        "b@customer.example",
    ]
    assert [p.key for p in permits] == ["permitted_senders-1", "permitted_senders-2"]


def test_it_permits_a_whole_sending_domain_when_asked() -> None:
    plan = build_plan(
        request(
            sending_domain(
                "a@customer.example", "b@customer.example", "c@other.example", whole=True
            )
        )
    )
    permits = steps_of(plan, PolicyId.PERMITTED_SENDERS)
    assert [(settings(p)["Applies From"], settings(p)["Specifically"]) for p in permits] == [
        ("Email Domain", "customer.example"),
        ("Email Domain", "other.example"),
    ]


@pytest.mark.parametrize(
    ("bounce", "expected"),
    [
        ("", HEADER),
        ("bounces@platform-mail.example", HEADER),
        ("HR@customer.example", "Both"),
    ],
    ids=["envelope-unknown", "envelope-differs", "envelope-equals-header"],
)
def test_it_chooses_both_only_when_the_envelope_equals_the_header(bounce, expected) -> None:
    plan = build_plan(request(verified("hr@customer.example"), bounce_address=bounce))
    (permit,) = steps_of(plan, PolicyId.PERMITTED_SENDERS)
    assert settings(permit)["Addresses Based On"] == expected


# --- Rule 4: Anti-Spoofing exceptions --------------------------------------------------------


def test_it_adds_an_ip_scoped_anti_spoofing_exception_for_own_domain_mail() -> None:
    plan = build_plan(
        request(
            sending_domain("surveys@customer.example"),
            account("customer.example"),
            basis=Basis.ADDRESS_AND_IP,
            platform_ips=ips("192.0.2.10"),
        )
    )
    (exception,) = steps_of(plan, PolicyId.ANTI_SPOOFING_BYPASS)
    fields = settings(exception)
    assert fields["Select Option"] == "Take No Action"
    assert fields["Specifically"] == "surveys@customer.example"
    assert fields[SOURCE_IPS] == "192.0.2.10/32"
    assert exception.path.current == "Policies → Gateway Policies → Anti-Spoofing"
    assert not plan.accounts[0].warnings


@pytest.mark.parametrize(
    ("authorises", "record"),
    [(False, "v=spf1 -all"), (None, ""), (True, "v=spf1 include:spf.platform-mail.example +all")],
    ids=["not-authorised", "unknown", "plus-all"],
)
def test_it_keeps_the_take_no_action_exception_when_spf_cannot_be_used(authorises, record) -> None:
    facts = SendingDomainFacts(
        "customer.example", spf_authorises_platform=authorises, spf_record=record
    )
    plan = build_plan(
        request(
            sending_domain("surveys@customer.example"), account("customer.example"), facts=facts
        )
    )
    assert "anti_spoofing_bypass" in policies(plan.accounts[0])
    assert "anti_spoofing_spf_bypass" not in policies(plan.accounts[0])


def test_it_needs_no_anti_spoofing_step_for_another_organisation() -> None:
    plan = build_plan(request(sending_domain("surveys@customer.example"), account("other.example")))
    assert policies(plan.accounts[0]) == ["permitted_senders", "verify"]


# --- Rule 5: Impersonation Protection Bypass --------------------------------------------------


@pytest.mark.parametrize(
    ("sending", "recipient", "expected"),
    [
        (unverified("luke@customer.example"), "customer.example", True),
        (unverified("luke@customer.example"), "other.example", False),
        (
            verified("hr@agency.example", display_name="Customer.example HR"),
            "customer.example",
            True,
        ),
        (
            verified("hr@agency.example", display_name="jo@customer.example"),
            "customer.example",
            True,
        ),
        (verified("hr@agency.example", display_name="People team"), "customer.example", False),
        (
            verified("hr@agency.example", display_name="notcustomer.example"),
            "customer.example",
            False,
        ),
    ],
    ids=["help-article", "external", "domain-named", "address-in-name", "plain", "lookalike"],
)
def test_it_bypasses_impersonation_when_the_display_name_names_the_recipient(
    sending, recipient, expected
) -> None:
    plan = build_plan(request(sending, account(recipient)))
    assert ("impersonation_bypass" in policies(plan.accounts[0])) is expected


# --- Rule 6: greylisting ----------------------------------------------------------------------


def test_it_leaves_greylisting_alone_for_occasional_sends() -> None:
    plan = build_plan(request(verified("hr@customer.example"), platform_ips=ips("192.0.2.10")))
    assert "greylisting_bypass" not in policies(plan.accounts[0])


# --- Rule 7: verify last ------------------------------------------------------------------------


# --- Rule 8: the shared address ------------------------------------------------------------


def google() -> GatewayInfo:
    return GatewayInfo(name="google", evidence=("aspmx.l.google.com",))


def test_it_warns_that_the_shared_address_permits_every_platform_customer() -> None:
    plan = build_plan(
        request(unverified(), account("one.example"), account("two.example", gateway=google()))
    )
    # Said once for the document, not per account; the non-Mimecast account says nothing of it.
    (warning,) = plan.warnings
    (other,) = plan.accounts[1].warnings
    assert SHARED not in other
    assert SHARED in warning
    assert "every SurveyCo customer" in warning
    assert "Applies To" in warning
    assert "forgeries" in warning
    assert "verified address" in warning
    assert "sending domain" in warning


def test_it_gives_no_shared_address_warning_for_the_customers_own_address() -> None:
    plan = build_plan(request(verified("hr@customer.example")))
    assert plan.warnings == ()
    assert plan.accounts[0].warnings == ()


# --- Rule 9: gateways ------------------------------------------------------------------------


def test_it_gives_no_mimecast_steps_when_the_recipient_uses_another_gateway() -> None:
    gateway = GatewayInfo(name="fastmail", evidence=("in1-smtp.messagingengine.example",))
    plan = build_plan(request(unverified(), account("r.example", gateway=gateway)))
    acc = plan.accounts[0]
    assert acc.steps == ()
    assert not acc.gateway.mimecast_steps_apply
    assert acc.gateway.console_url == ""
    (warning,) = acc.warnings
    assert "Fastmail" in warning
    assert "do not apply" in warning
    assert "in1-smtp.messagingengine.example" in warning
    assert plan.warnings == ()


def test_it_gives_mimecast_steps_with_a_warning_when_detection_failed() -> None:
    gateway = GatewayInfo(detail="The DNS server did not answer.")
    plan = build_plan(
        request(verified("hr@customer.example"), account("r.example", gateway=gateway))
    )
    acc = plan.accounts[0]
    assert policies(acc) == ["permitted_senders", "verify"]
    assert acc.gateway.label == "Unknown"
    assert acc.gateway.console_url == "https://login.mimecast.com"
    assert any("could not tell" in w and "did not answer" in w for w in acc.warnings)


# --- Rule 10: console URL and paths ------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "url", "label", "noted"),
    [
        ("eu", "https://login-eu.mimecast.com", "Europe", False),
        ("de", "https://login-de.mimecast.com", "Germany", False),
        ("us", "https://login-us.mimecast.com", "United States", False),
        ("usb", "https://login-usb.mimecast.com", "United States (B grid)", False),
        ("ca", "https://login-ca.mimecast.com", "Canada", False),
        ("au", "https://login-au.mimecast.com", "Australia", False),
        ("za", "https://login-za.mimecast.com", "South Africa", False),
        ("je", "https://login-jer.mimecast.com", "Offshore (Jersey)", False),
        (None, "https://login.mimecast.com", "", True),
        ("xx", "https://login.mimecast.com", "", True),
    ],
)
def test_its_console_url_follows_the_region(region, url, label, noted) -> None:
    plan = build_plan(
        request(verified("hr@c.example"), account("r.example", gateway=mimecast(region)))
    )
    gateway = plan.accounts[0].gateway
    assert (gateway.console_url, gateway.region_label) == (url, label)
    assert any("global sign-in" in w for w in plan.accounts[0].warnings) is noted


def test_every_step_has_both_console_generations_paths() -> None:
    plan = build_plan(
        request(
            unverified("luke@customer.example"),
            account("customer.example", bulk=True),
            basis=Basis.ADDRESS_AND_IP,
            platform_ips=ips("192.0.2.10"),
        )
    )
    for step in plan.accounts[0].steps:
        assert step.path.current and step.path.legacy
        if step.policy is not PolicyId.VERIFY:
            assert step.path.current.startswith("Policies → Gateway Policies → ")
            assert step.path.legacy.startswith("Administration → Gateway → Policies → ")


# --- Rule 11: IP ranges age; addresses don't -----------------------------------------------


@pytest.mark.parametrize(
    ("sending", "recipient", "basis", "needed"),
    [
        (verified("hr@customer.example"), account("partner.example"), Basis.ADDRESS, False),
        (verified("hr@customer.example"), account("partner.example"), Basis.IP, True),
        (
            verified("hr@customer.example"),
            account("partner.example", bulk=True),
            Basis.ADDRESS,
            True,
        ),
        (verified("hr@customer.example"), account("customer.example"), Basis.ADDRESS, True),
        (unverified("luke@customer.example"), account("customer.example"), Basis.ADDRESS, True),
        (
            verified("hr@agency.example", display_name="Customer.example HR"),
            account("customer.example"),
            Basis.ADDRESS,
            True,
        ),
    ],
    ids=["external", "ip-basis", "bulk", "own-domain", "display-address", "display-domain"],
)
def test_it_asks_for_platform_ips_only_when_a_step_can_use_them(
    sending, recipient, basis, needed
) -> None:
    assert needs_platform_ips(request(sending, recipient, basis=basis)) is needed


def test_one_organisations_plan_carries_only_its_own_caveats() -> None:
    plan = build_plan(
        request(
            verified("hr@customer.example"),
            replace(account("one.example", organisation="One Ltd", bulk=True), ref="a1"),
            replace(
                account(
                    "two.example",
                    organisation="Two plc",
                    gateway=GatewayInfo(name="google", evidence=("aspmx.l.google.com",)),
                ),
                ref="a2",
            ),
            platform_ips=ips("192.0.2.10"),
        )
    )
    one, two = (for_account(plan, a.ref) for a in plan.accounts)
    assert [a.organisation for a in one.accounts] == ["One Ltd"]
    assert not any("Google Workspace" in c for c in one.caveats)
    assert any("Google Workspace" in c for c in two.caveats)
    assert not any("Older consoles" in c for c in two.caveats)  # no Mimecast step there
    assert any("Greylisting" in n for n in one.inferred) and two.inferred != one.inferred
    assert set(plan.caveats) == set(one.caveats) | set(two.caveats)
    with pytest.raises(KeyError):
        for_account(plan, "nope")
