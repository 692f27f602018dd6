"""A scenario matrix checked against the issue's rules and docs/mimecast-policies.md.

Each row is one situation a customer can be in; it states the steps every account must get (in
order) and the From addresses to permit, plus what else that row must show. Every row is also
held to the properties every plan must have (verify last, both console paths, CIDR ranges only
from the platform's lookup, UNCONFIRMED points marked, non-Mimecast accounts left alone).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from apps.policies.generator import build_plan, cidr_ranges
from apps.policies.types import (
    AccountPlan,
    Basis,
    GatewayInfo,
    Plan,
    PlanRequest,
    PolicyId,
    SendingDomainFacts,
    Step,
)
from tests.policies.factories import (
    SHARED,
    account,
    all_text,
    ips,
    mimecast,
    request,
    sending_domain,
    settings,
    unverified,
    verified,
)

IPS = ips("192.0.2.10", "198.51.100.0/24", "2001:db8::1")
CIDRS = ("192.0.2.10/32", "198.51.100.0/24", "2001:db8::1/128")
HEADER = "The Message From Address (Message Header From)"
ENVELOPE = "The Return Address (Mail Envelope From)"
SOURCE_IPS = "Source IP Ranges (n.n.n.n/x)"
# §0 (and §2 for the SPF bypass form): the only field names a step may use.
FORM_FIELDS = {
    "Policy Narrative",
    "Select Option",
    "Addresses Based On",
    "Applies From",
    "Specifically",
    "Applies To",
    SOURCE_IPS,
    "Policy Override",
    "Bi-Directional",
    "Enable/Disable",
    "Set policy as perpetual",
    "Date Range",
    "When IP Matches SPF Record of",
}
PS, AS, SPF, IMP, GREY, VERIFY = (
    "permitted_senders",
    "anti_spoofing_bypass",
    "anti_spoofing_spf_bypass",
    "impersonation_bypass",
    "greylisting_bypass",
    "verify",
)
NONE: list[str] = []

Check = Callable[[Plan], None]


@dataclass(frozen=True)
class Scenario:
    id: str
    request: PlanRequest
    steps: list[list[str]]  # per account, the policy ids in order
    whitelist: list[str]  # the exact From addresses (ASCII) every account permits
    checks: tuple[Check, ...] = field(default=())


# --- Small readers ----------------------------------------------------------------------------


def of(acc: AccountPlan, policy: str) -> list[Step]:
    return [s for s in acc.steps if s.policy.value == policy]


def one(plan: Plan, policy: str, index: int = 0) -> Step:
    (found,) = of(plan.accounts[index], policy)
    return found


def text_of(step: Step) -> str:
    return "\n".join([step.title, step.why, *step.notes])


def reader_text(acc: AccountPlan) -> str:
    parts = [*acc.warnings]
    for s in acc.steps:
        parts += [s.title, s.why, *s.notes, *(x.value for x in s.settings)]
    return "\n".join(parts)


# --- Row checks (each returns a check; a row lists the ones that matter to it) ----------------


def field_is(policy: str, name: str, value: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        assert of(plan.accounts[index], policy), policy
        for s in of(plan.accounts[index], policy):
            assert settings(s).get(name) == value, (s.key, name, settings(s).get(name))

    return check


def field_absent(policy: str, name: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        assert of(plan.accounts[index], policy), policy
        for s in of(plan.accounts[index], policy):
            assert name not in settings(s), (s.key, name)

    return check


def warns(*words: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        warnings = plan.accounts[index].warnings
        assert any(all(w.lower() in x.lower() for w in words) for x in warnings), (
            words,
            warnings,
        )

    return check


def no_warning(*words: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        for x in plan.accounts[index].warnings:
            assert not all(w.lower() in x.lower() for w in words), (words, x)

    return check


def plan_warns(*words: str) -> Check:
    def check(plan: Plan) -> None:
        assert any(all(w in x for w in words) for x in plan.warnings), (words, plan.warnings)

    return check


def step_says(policy: str, *words: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        steps = of(plan.accounts[index], policy)
        assert steps, policy
        for s in steps:
            assert all(w.lower() in text_of(s).lower() for w in words), (words, text_of(s))

    return check


def step_silent(policy: str, *words: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        for s in of(plan.accounts[index], policy):
            for w in words:
                assert w.lower() not in text_of(s).lower(), (w, s.key)

    return check


def console(url: str, label: str, noted: bool, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        acc = plan.accounts[index]
        assert acc.gateway.console_url == url
        assert acc.gateway.region_label == label
        unconfirmed = any("unconfirmed" in w or "could not tell" in w for w in acc.warnings)
        assert unconfirmed == noted, acc.warnings

    return check


def _assert_no_plan_warnings(plan: Plan) -> None:
    assert plan.warnings == ()


def whitelist_display(*pairs: tuple[str, str]) -> Check:
    def check(plan: Plan) -> None:
        for acc in plan.accounts:
            assert [(a.address, a.display) for a in acc.whitelist_addresses] == list(pairs)

    return check


def ranges_used(expected: tuple[str, ...], index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        assert plan.accounts[index].ip_ranges == expected

    return check


# --- The matrix -------------------------------------------------------------------------------

EXT = account("recipient.example", organisation="Recipient Ltd")
OWN = account("customer.example", organisation="Customer Ltd")
OWN_BULK = account("customer.example", organisation="Customer Ltd", bulk=True)
EXT_BULK = account("recipient.example", organisation="Recipient Ltd", bulk=True)
OTHER_GATEWAY = {
    "microsoft365": ("Microsoft 365", "customer-example.mail.protection.outlook.com"),
    "proofpoint": ("Proofpoint", "mx1-us1.ppe-hosted.com"),
    "google": ("Google Workspace", "aspmx.l.google.com"),
}


def _modes_by_basis() -> list[Scenario]:
    rows = []
    senders = {
        "verified": (verified("hr@customer.example"), "hr@customer.example"),
        "unverified": (unverified("luke@customer.example"), SHARED),
        "sending_domain": (sending_domain("surveys@customer.example"), "surveys@customer.example"),
    }
    for mode, (sending, address) in senders.items():
        for basis in Basis:
            ip_based = basis is not Basis.ADDRESS
            checks: list[Check] = [
                field_is(PS, "Select Option", "Permit Sender"),
                field_is(PS, "Addresses Based On", HEADER),
                field_is(PS, "Applies From", "Individual Email Address"),
                field_is(PS, "Specifically", address),
                field_is(PS, "Applies To", "Internal Addresses"),
                ranges_used(CIDRS if ip_based else ()),
                step_says(PS, "looked up on", "change")
                if ip_based
                else step_says(PS, "keeps working when"),
            ]
            if ip_based:
                checks.append(field_is(PS, SOURCE_IPS, ", ".join(CIDRS)))
                checks.append(step_says(PS, "UNCONFIRMED", "IPv6"))
            else:
                checks.append(field_absent(PS, SOURCE_IPS))
            if mode == "unverified":
                checks.append(warns(SHARED, "every", "Applies To", "verified", "sending domain"))
            else:
                checks.append(no_warning("shared by every"))
            rows.append(
                Scenario(
                    f"{mode}-{basis.value}-external",
                    request(sending, EXT, basis=basis, platform_ips=IPS),
                    [[PS, VERIFY]],
                    [address],
                    tuple(checks),
                )
            )
    return rows


def _own_domain() -> list[Scenario]:
    rows = []
    for mode, sending in (
        ("sending_domain", sending_domain("surveys@customer.example")),
        ("verified", verified("surveys@customer.example")),
    ):
        rows += [
            Scenario(
                f"{mode}-own-organisation-ip",
                request(sending, OWN, basis=Basis.IP, platform_ips=IPS),
                [[PS, AS, VERIFY]],
                ["surveys@customer.example"],
                (
                    field_is(AS, "Select Option", "Take No Action"),
                    field_is(AS, "Applies From", "Individual Email Address"),
                    field_is(AS, "Specifically", "surveys@customer.example"),
                    field_is(AS, SOURCE_IPS, ", ".join(CIDRS)),
                    field_is(AS, "Addresses Based On", HEADER),
                    no_warning("from any server"),
                    step_says(AS, "looked up on", "could not check"),
                ),
            ),
            Scenario(
                f"{mode}-own-organisation-address-only",
                request(sending, OWN, basis=Basis.ADDRESS, platform_ips=IPS),
                [[PS, AS, VERIFY]],
                ["surveys@customer.example"],
                (
                    field_absent(AS, SOURCE_IPS),
                    warns("surveys@customer.example", "from any server", "forgeries"),
                    step_says(AS, "192.0.2.10/32", "looked up on"),
                ),
            ),
        ]
    rows.append(
        Scenario(
            "own-organisation-address-and-ip-bulk",
            request(
                sending_domain("surveys@customer.example"),
                OWN_BULK,
                basis=Basis.ADDRESS_AND_IP,
                platform_ips=IPS,
            ),
            [[PS, AS, GREY, VERIFY]],
            ["surveys@customer.example"],
            (
                field_is(AS, SOURCE_IPS, ", ".join(CIDRS)),
                field_is(GREY, SOURCE_IPS, ", ".join(CIDRS)),
            ),
        )
    )
    rows.append(
        Scenario(
            "own-organisation-ip-but-lookup-failed",
            request(sending_domain("surveys@customer.example"), OWN, basis=Basis.IP),
            [[PS, AS, VERIFY]],
            ["surveys@customer.example"],
            (
                field_absent(PS, SOURCE_IPS),
                field_absent(AS, SOURCE_IPS),
                plan_warns("could not be looked up"),
                warns("from any server", "could not be looked up"),
                no_warning("match on IP addresses as well"),
                ranges_used(()),
            ),
        )
    )
    return rows


def _display_names() -> list[Scenario]:
    impersonation = (
        step_says(IMP, "UNCONFIRMED", "Message Tracking"),
        step_says(IMP, "Take no action", "Disable Impersonation Protect"),
        field_is(IMP, "Applies To", "Internal Addresses"),
    )
    return [
        Scenario(
            "unverified-customer-address-at-recipient-domain",
            request(unverified("luke@customer.example"), OWN, platform_ips=IPS),
            [[PS, AS, IMP, VERIFY]],
            [SHARED],
            (
                *impersonation,
                step_says(
                    IMP, "luke@customer.example", "verify your own address", "sending domain"
                ),
                step_says(AS, "UNCONFIRMED"),
                field_is(AS, "Specifically", SHARED),
                field_absent(AS, SOURCE_IPS),
                warns(SHARED, "shared by every"),
                warns("from any server"),
            ),
        ),
        Scenario(
            "unverified-customer-address-at-recipient-domain-ip",
            request(unverified("luke@customer.example"), OWN, basis=Basis.IP, platform_ips=IPS),
            [[PS, AS, IMP, VERIFY]],
            [SHARED],
            (
                *impersonation,
                field_is(AS, SOURCE_IPS, ", ".join(CIDRS)),
                field_is(IMP, SOURCE_IPS, ", ".join(CIDRS)),
                no_warning("from any server"),
            ),
        ),
        Scenario(
            "unverified-customer-address-elsewhere",
            request(unverified("luke@customer.example"), EXT, platform_ips=IPS),
            [[PS, VERIFY]],
            [SHARED],
            (warns(SHARED, "shared by every"),),
        ),
        Scenario(
            "display-name-is-a-persons-name",
            request(verified("hr@customer.example", display_name="Luke Smith"), EXT),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (no_warning("Internal User Name"),),
        ),
        Scenario(
            "display-name-is-a-colleagues-name-inside-the-organisation",
            request(sending_domain("surveys@customer.example", display_name="Luke Smith"), OWN),
            [[PS, AS, VERIFY]],
            ["surveys@customer.example"],
            (warns("Luke Smith", "Internal User Name", "Number of Hits"),),
        ),
        Scenario(
            "display-name-holds-a-recipient-address",
            request(
                verified("hr@customer.example", display_name="luke@recipient.example"),
                EXT,
                platform_ips=IPS,
            ),
            [[PS, AS, IMP, VERIFY]],
            ["hr@customer.example"],
            (*impersonation, step_says(AS, "UNCONFIRMED"), step_says(IMP, "display name")),
        ),
        Scenario(
            "display-name-names-the-recipient-domain-without-an-address",
            request(verified("hr@customer.example", display_name="Recipient.example staff"), EXT),
            [[PS, IMP, VERIFY]],
            ["hr@customer.example"],
            (*impersonation, step_says(IMP, "address or domain")),
        ),
    ]


def _accounts() -> list[Scenario]:
    other_gateway = GatewayInfo(
        name="microsoft365", evidence=("elsewhere-example.mail.protection.outlook.com",)
    )
    return [
        Scenario(
            "several-accounts-only-some-internal",
            request(
                sending_domain("surveys@customer.example"),
                OWN,
                EXT_BULK,
                account("elsewhere.example", gateway=other_gateway),
                basis=Basis.IP,
                platform_ips=IPS,
            ),
            [[PS, AS, VERIFY], [PS, GREY, VERIFY], NONE],
            ["surveys@customer.example"],
            (
                step_says(PS, "Customer Ltd", index=0),
                step_says(PS, "Recipient Ltd", index=1),
                warns("Microsoft 365", "do not apply", index=2),
            ),
        ),
        Scenario(
            "external-recipients-bulk-address-basis",
            request(verified("hr@customer.example"), EXT_BULK, platform_ips=IPS),
            [[PS, GREY, VERIFY]],
            ["hr@customer.example"],
            (
                field_absent(PS, SOURCE_IPS),
                field_is(GREY, SOURCE_IPS, ", ".join(CIDRS)),
                field_is(GREY, "Select Option", "Take No Action"),
                field_absent(GREY, "Applies To"),
                step_says(GREY, "60 seconds and 12 hours", "header", "inference", "looked up on"),
                step_says(PS, "Greylisting step below"),
                ranges_used(CIDRS),
            ),
        ),
        Scenario(
            "external-recipients-not-bulk",
            request(verified("hr@customer.example"), EXT, platform_ips=IPS),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (step_says(PS, "add a Greylisting policy"), ranges_used(())),
        ),
        Scenario(
            "bulk-without-ip-ranges",
            request(verified("hr@customer.example"), EXT_BULK),
            [[PS, GREY, VERIFY]],
            ["hr@customer.example"],
            (field_absent(GREY, SOURCE_IPS), step_says(GREY, "do not save it")),
        ),
    ]


_REGIONS = [
    ("eu", "https://login-eu.mimecast.com", "Europe", False),
    ("de", "https://login-de.mimecast.com", "Germany", False),
    ("us", "https://login-us.mimecast.com", "United States", False),
    ("usb", "https://login.mimecast.com", "United States (B grid)", True),
    ("ca", "https://login.mimecast.com", "Canada", True),
    ("au", "https://login-au.mimecast.com", "Australia", False),
    ("za", "https://login-za.mimecast.com", "South Africa", False),
    ("je", "https://login-jer.mimecast.com", "Offshore (Jersey)", False),
]


def _gateways() -> list[Scenario]:
    rows = [
        Scenario(
            f"region-{code}",
            request(verified("hr@customer.example"), account("r.example", gateway=mimecast(code))),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (console(url, label, noted),),
        )
        for code, url, label, noted in _REGIONS
    ]
    rows += [
        Scenario(
            "region-missing",
            request(verified("hr@customer.example"), account("r.example", gateway=mimecast(None))),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (console("https://login.mimecast.com", "", True),),
        ),
        Scenario(
            "region-unknown-code",
            request(verified("hr@customer.example"), account("r.example", gateway=mimecast("xx"))),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (warns("xx", "global sign-in"),),
        ),
    ]
    for name, (label, mx) in OTHER_GATEWAY.items():
        rows.append(
            Scenario(
                f"gateway-{name}",
                request(
                    verified("hr@customer.example"),
                    account("r.example", gateway=GatewayInfo(name=name, evidence=(mx,))),
                    platform_ips=IPS,
                ),
                [NONE],
                ["hr@customer.example"],
                (warns(label, "do not apply", mx),),
            )
        )
    rows += [
        Scenario(
            "gateway-mimecast-with-microsoft-fallback",
            request(
                verified("hr@customer.example"),
                account(
                    "r.example",
                    gateway=GatewayInfo(
                        name="mimecast",
                        region="eu",
                        evidence=(
                            "eu-smtp-inbound-1.mimecast.com",
                            "r-example.mail.protection.outlook.com",
                        ),
                        also_seen=("microsoft365",),
                    ),
                ),
            ),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (
                warns("Microsoft 365", "Mimecast only"),
                console("https://login-eu.mimecast.com", "Europe", False),
            ),
        ),
        Scenario(
            "gateway-forced-other-than-mimecast",
            request(
                verified("hr@customer.example"),
                account("r.example", gateway=GatewayInfo(name="proofpoint", forced=True)),
            ),
            [NONE],
            ["hr@customer.example"],
            (warns("Proofpoint", "chosen (not detected)", "do not apply"),),
        ),
        Scenario(
            "gateway-unknown",
            request(
                verified("hr@customer.example"),
                account("r.example", gateway=GatewayInfo(detail="The DNS server did not answer.")),
            ),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (warns("detection failed", "did not answer", "Mimecast"),),
        ),
        Scenario(
            "gateway-forced-mimecast",
            request(
                verified("hr@customer.example"),
                account(
                    "r.example", gateway=GatewayInfo(name="mimecast", region="au", forced=True)
                ),
            ),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (warns("chosen by hand"), console("https://login-au.mimecast.com", "Australia", False)),
        ),
    ]
    return rows


def _spf(authorises: bool | None, record: str) -> SendingDomainFacts:
    return SendingDomainFacts("customer.example", authorises, record)


def _spf_rows() -> list[Scenario]:
    sending = sending_domain("surveys@customer.example")
    return [
        Scenario(
            "spf-authorises-platform",
            request(
                sending,
                OWN,
                platform_ips=IPS,
                facts=_spf(True, "v=spf1 include:spf.platform-mail.example -all"),
            ),
            [[PS, SPF, VERIFY]],
            ["surveys@customer.example"],
            (
                field_is(SPF, "When IP Matches SPF Record of", "customer.example"),
                field_is(SPF, "Applies From", "Everyone"),
                field_is(SPF, "Applies To", "Everyone"),
                step_says(SPF, "+all", "10"),
                no_warning("from any server"),
            ),
        ),
        Scenario(
            "spf-does-not-authorise-platform",
            request(sending, OWN, platform_ips=IPS, facts=_spf(False, "v=spf1 mx -all")),
            [[PS, AS, VERIFY]],
            ["surveys@customer.example"],
            (step_says(AS, "does not authorise", "include:spf.platform-mail.example"),),
        ),
        Scenario(
            "spf-unknown",
            request(sending, OWN, platform_ips=IPS, facts=_spf(None, "")),
            [[PS, AS, VERIFY]],
            ["surveys@customer.example"],
            (step_says(AS, "could not check"),),
        ),
        Scenario(
            "spf-ends-in-plus-all",
            request(
                sending,
                OWN,
                platform_ips=IPS,
                facts=_spf(True, "v=spf1 include:spf.platform-mail.example +all"),
            ),
            [[PS, AS, VERIFY]],
            ["surveys@customer.example"],
            (step_says(AS, "+all"),),
        ),
        Scenario(
            "spf-record-with-many-terms",
            request(
                sending,
                OWN,
                facts=_spf(True, "v=spf1 " + "a " * 10 + "include:spf.platform-mail.example -all"),
            ),
            [[PS, SPF, VERIFY]],
            ["surveys@customer.example"],
            (step_says(SPF, "has 12 terms", "within the first 10 terms"),),
        ),
        Scenario(
            "spf-ends-in-bare-all",
            request(sending, OWN, platform_ips=IPS, facts=_spf(True, "v=spf1 include:x all")),
            [[PS, AS, VERIFY]],
            ["surveys@customer.example"],
            (step_says(AS, "+all"),),
        ),
        Scenario(
            "spf-ends-in-soft-fail",
            request(sending, OWN, platform_ips=IPS, facts=_spf(True, "v=spf1 include:x ~all")),
            [[PS, SPF, VERIFY]],
            ["surveys@customer.example"],
        ),
        Scenario(
            "spf-facts-for-an-idn-domain",
            request(
                sending_domain("umfragen@Bücher.example"),
                account("bücher.example"),
                facts=SendingDomainFacts("BÜCHER.example", True, "v=spf1 include:x -all"),
            ),
            [[PS, SPF, VERIFY]],
            ["umfragen@xn--bcher-kva.example"],
            (field_is(SPF, "When IP Matches SPF Record of", "xn--bcher-kva.example"),),
        ),
    ]


def _ip_rows() -> list[Scenario]:
    return [
        Scenario(
            "ips-stale",
            request(
                verified("hr@customer.example"),
                EXT,
                basis=Basis.IP,
                platform_ips=ips("192.0.2.10", stale=True),
            ),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (
                plan_warns("could not be refreshed"),
                step_says(PS, "last ranges", "looked up on"),
                field_is(PS, SOURCE_IPS, "192.0.2.10/32"),
                step_silent(PS, "IPv6"),
            ),
        ),
        Scenario(
            "ips-stale-but-unused",
            request(
                verified("hr@customer.example"), EXT, platform_ips=ips("192.0.2.10", stale=True)
            ),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (lambda plan: _assert_no_plan_warnings(plan), ranges_used(())),
        ),
        Scenario(
            "ips-empty-ip-basis",
            request(verified("hr@customer.example"), EXT, basis=Basis.IP),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (plan_warns("could not be looked up"), field_absent(PS, SOURCE_IPS)),
        ),
        Scenario(
            "ips-with-junk-entries",
            request(
                verified("hr@customer.example"),
                EXT,
                basis=Basis.IP,
                platform_ips=ips("192.0.2.10", "not-an-ip", "192.0.2.10/32", " 203.0.113.0/24 "),
            ),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (field_is(PS, SOURCE_IPS, "192.0.2.10/32, 203.0.113.0/24"),),
        ),
    ]


def _address_rows() -> list[Scenario]:
    return [
        Scenario(
            "bounce-equals-from",
            request(verified("hr@customer.example"), EXT, bounce_address="HR@Customer.EXAMPLE"),
            [[PS, VERIFY]],
            ["hr@customer.example"],
            (field_is(PS, "Addresses Based On", "Both"),),
        ),
        Scenario(
            "bounce-differs-from-from",
            request(
                verified("hr@customer.example"),
                EXT_BULK,
                platform_ips=IPS,
                bounce_address="bounce@platform-mail.example",
            ),
            [[PS, GREY, VERIFY]],
            ["hr@customer.example"],
            (
                field_is(PS, "Addresses Based On", HEADER),
                field_is(GREY, "Addresses Based On", ENVELOPE),
                field_is(GREY, "Specifically", "bounce@platform-mail.example"),
            ),
        ),
        Scenario(
            "permit-whole-domain",
            request(
                sending_domain("surveys@customer.example", "hr@customer.example", whole=True),
                EXT,
            ),
            [[PS, VERIFY]],
            ["surveys@customer.example", "hr@customer.example"],
            (
                field_is(PS, "Applies From", "Email Domain"),
                field_is(PS, "Specifically", "customer.example"),
            ),
        ),
        Scenario(
            "permit-whole-domain-to-own-organisation",
            request(
                sending_domain("surveys@customer.example", "hr@customer.example", whole=True),
                OWN,
                basis=Basis.IP,
                platform_ips=IPS,
            ),
            [[PS, AS, VERIFY]],
            ["surveys@customer.example", "hr@customer.example"],
            (
                field_is(AS, "Applies From", "Email Domain"),
                field_is(AS, "Specifically", "customer.example"),
            ),
        ),
        Scenario(
            "whole-domain-ignored-outside-sending-domain-mode",
            request(verified("a@customer.example", "b@customer.example"), EXT),
            [[PS, PS, VERIFY]],
            ["a@customer.example", "b@customer.example"],
            (field_is(PS, "Applies From", "Individual Email Address"),),
        ),
        Scenario(
            "idn-address",
            request(verified("user@bücher.example"), EXT),
            [[PS, VERIFY]],
            ["user@xn--bcher-kva.example"],
            (
                whitelist_display(("user@xn--bcher-kva.example", "user@bücher.example")),
                field_is(PS, "Specifically", "user@xn--bcher-kva.example"),
                step_says(PS, "user@bücher.example"),
            ),
        ),
        Scenario(
            "idn-own-organisation",
            request(
                sending_domain("umfragen@bücher.example"),
                account(
                    "Bücher.example", gateway=GatewayInfo(name="mimecast", region="de", forced=True)
                ),
            ),
            [[PS, AS, VERIFY]],
            ["umfragen@xn--bcher-kva.example"],
            (
                step_says(AS, "umfragen@xn--bcher-kva.example (umfragen@bücher.example)"),
                warns("xn--bcher-kva.example (bücher.example)", "chosen by hand"),
            ),
        ),
        Scenario(
            "upper-case-domain",
            request(verified("HR@Customer.EXAMPLE"), account("CUSTOMER.example")),
            [[PS, AS, VERIFY]],
            ["HR@customer.example"],
        ),
        Scenario(
            "duplicate-addresses",
            request(
                sending_domain("a@customer.example", "a@CUSTOMER.example", " a@customer.example"),
                EXT,
            ),
            [[PS, VERIFY]],
            ["a@customer.example"],
        ),
    ]


SCENARIOS = [
    *_modes_by_basis(),
    *_own_domain(),
    *_display_names(),
    *_accounts(),
    *_gateways(),
    *_spf_rows(),
    *_ip_rows(),
    *_address_rows(),
]
BY_ID = {s.id: s for s in SCENARIOS}


def test_scenario_ids_are_unique() -> None:
    assert len(BY_ID) == len(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_it_gives_each_scenario_the_steps_and_addresses_the_rules_require(
    scenario: Scenario,
) -> None:
    plan = build_plan(scenario.request)
    assert [[s.policy.value for s in a.steps] for a in plan.accounts] == scenario.steps
    for acc in plan.accounts:
        assert [a.address for a in acc.whitelist_addresses] == scenario.whitelist
    for check in scenario.checks:
        check(plan)


# --- Properties every scenario must have ------------------------------------------------------

_IP_LIKE = re.compile(
    r"\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,}(?:/\d+)?"
)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_every_plan_holds_the_general_properties(scenario: Scenario) -> None:
    request_ = scenario.request
    plan = build_plan(request_)
    known = set(cidr_ranges(request_.platform_ips.ranges))
    for acc in plan.accounts:
        _account_properties(request_, acc, known)
    # No IP range appears anywhere unless it came from the platform's lookup.
    for found in _IP_LIKE.findall(all_text(plan)):
        network = str(ipaddress.ip_network(found, strict=False))
        assert network in known, found


def _account_properties(request_: PlanRequest, acc: AccountPlan, known: set[str]) -> None:
    text = reader_text(acc)
    assert "the reference" not in text.lower()
    assert set(acc.ip_ranges) <= known
    if not acc.gateway.mimecast_steps_apply:
        # Issue rule 9: no Mimecast steps, and the gateway found is named.
        assert acc.steps == ()
        assert any(acc.gateway.label in w and "do not apply" in w for w in acc.warnings)
        return
    assert acc.gateway.console_url.startswith("https://login")
    # Issue rule 7: verify is last, once.
    assert [s.policy for s in acc.steps].count(PolicyId.VERIFY) == 1
    assert acc.steps[-1].policy is PolicyId.VERIFY
    verify = acc.steps[-1]
    assert "5 minutes" in verify.why and "Message Tracking" in verify.why and "test" in verify.why
    assert len({s.key for s in acc.steps}) == len(acc.steps)
    for s in acc.steps:
        _step_properties(request_, acc, s, known)


def _step_properties(request_: PlanRequest, acc: AccountPlan, s: Step, known: set[str]) -> None:
    # Issue rule 10: both console generations' menu paths.
    assert s.path.current and s.path.legacy
    if s.policy is not PolicyId.VERIFY:
        assert s.path.current.startswith("Policies → Gateway Policies → ")
        assert s.path.legacy.startswith("Administration → Gateway → Policies → ")
    fields = settings(s)
    assert {x.field for x in s.settings} <= FORM_FIELDS, s.settings
    for x in s.settings:
        assert x.value.strip(), (s.key, x.field)
    if SOURCE_IPS in fields:
        entries = fields[SOURCE_IPS].split(", ")
        for entry in entries:
            assert str(ipaddress.ip_network(entry, strict=True)) == entry
        assert set(entries) <= known
        # Issue rule 11: say when they were resolved and that they change.
        assert "looked up on" in text_of(s) and "change" in text_of(s)
    address_based = fields.get("Applies From") in ("Individual Email Address", "Email Domain")
    if address_based and s.policy is not PolicyId.GREYLISTING_BYPASS and SOURCE_IPS not in fields:
        # Issue rule 11: address-based steps say they survive server changes.
        assert "keeps working when" in text_of(s), s.key
    if s.policy is PolicyId.PERMITTED_SENDERS:
        assert fields["Select Option"] == "Permit Sender"
        assert fields["Addresses Based On"] in (HEADER, "Both")
        assert fields["Applies To"] == "Internal Addresses"
    if s.policy is PolicyId.ANTI_SPOOFING_BYPASS:
        assert fields["Select Option"] == "Take No Action"
        ip_based = request_.basis is not Basis.ADDRESS and bool(known)
        assert (SOURCE_IPS in fields) == ip_based
        if not ip_based:
            assert any("from any server" in w for w in acc.warnings)
    if s.policy is PolicyId.GREYLISTING_BYPASS:
        assert (SOURCE_IPS in fields) == bool(known)
        assert "60 seconds and 12 hours" in s.why
        assert any("inference" in n for n in s.notes)  # §3: console label inferred
    if s.policy is PolicyId.IMPERSONATION_BYPASS or "display name" in s.why:
        assert any(n.startswith("UNCONFIRMED") for n in s.notes)  # §4: which check fires
    # A guess is never stated without saying it is one.
    for sentence_group in (s.why, *s.notes):
        if re.search(r"\b(probably|likely)\b", sentence_group):
            assert re.search(r"inference|UNCONFIRMED", sentence_group), sentence_group
