"""A scenario matrix checked value by value against docs/mimecast-rules.md.

Each row is one situation a customer can be in: the steps every account must get (in order), the
From addresses to permit, and the field values that row must show. Every row is also held to the
properties every plan must have (verify last, exact option labels, CIDR ranges only from the
platform's lookup, no internal labels, each caveat once).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from apps.policies.generator import build_plan, cidr_ranges
from apps.policies.rules import google, others
from apps.policies.rules import microsoft365 as m365
from apps.policies.types import (
    AccountPlan,
    Basis,
    GatewayInfo,
    Plan,
    PlanRequest,
    PolicyId,
    RecipientAccount,
    SendingDomainFacts,
    Step,
)
from tests.policies.factories import (
    SHARED,
    account,
    all_text,
    ips,
    request,
    sending_domain,
    settings,
    unverified,
    verified,
)

IPS = ips("192.0.2.10", "198.51.100.0/24", "2001:db8::1")
CIDRS = ("192.0.2.10/32", "198.51.100.0/24", "2001:db8::1/128")
RANGES = ", ".join(CIDRS)
HEADER = "The Message From Address (Message Header From)"
ENVELOPE = "The Return Address (Mail Envelope From)"
SOURCE_IPS = "Source IP Ranges (n.n.n.n/x)"
SELECT = "Select Option"
BASED_ON = "Addresses Based On"
APPLIES_FROM = "Applies From"
SPECIFICALLY = "Specifically"
# §0, §2 and the Message Tracking search: the only field names a step may use.
FORM_FIELDS = {
    "Policy Narrative",
    SELECT,
    BASED_ON,
    APPLIES_FROM,
    SPECIFICALLY,
    "Applies To",
    SOURCE_IPS,
    "Policy Override",
    "Set policy as perpetual",
    "When IP Matches SPF Record of",
    "From Address",
    "Sender IP (any of)",
    "Sender address",
}
PS, AS, SPF, IMP, GREY, URL, API, VERIFY = (
    "permitted_senders",
    "anti_spoofing_bypass",
    "anti_spoofing_spf_bypass",
    "impersonation_bypass",
    "greylisting_bypass",
    "url_protection_bypass",
    "allow_rule",
    "verify",
)
OWN_ADDRESS = "surveys@customer.example"
M_ALLOW, M_RULE, M_SPOOF, M_TRUSTED, M_ENHANCED, M_TRACE = (
    "m365_sender_allow",
    "m365_mail_flow_rule",
    "m365_spoofed_sender_allow",
    "m365_trusted_sender",
    "m365_enhanced_filtering",
    "m365_message_trace",
)
O_ALLOW, O_RATE, O_CHECK = "gateway_allow", "gateway_rate_exemption", "gateway_check"
G_APPROVED, G_ALLOWLIST, G_GATEWAY, G_LOG = (
    "google_approved_senders",
    "google_ip_allowlist",
    "google_inbound_gateway",
    "google_email_log_search",
)
# The fields the other gateways' forms name (their modules spell them).
OTHER_FIELDS = {
    m365.ENTRIES,
    m365.REMOVE_AFTER,
    m365.NOTE,
    m365.PAIRS,
    m365.SPOOF_TYPE,
    m365.ACTION,
    m365.RULE_NAME,
    m365.RULE_FROM,
    m365.RULE_IPS,
    m365.RULE_DMARC,
    m365.RULE_SCL,
    m365.RULE_HEADER,
    m365.SKIP_IPS,
    m365.APPLY_TO,
    m365.SENDERS,
    m365.TRUSTED,
    google.DESCRIPTION,
    google.BYPASS,
    google.ADDRESS_LIST,
    google.AUTHENTICATION,
    google.ALLOWLIST,
    google.GATEWAY_IPS,
    google.DETECT,
    google.SENDER,
}

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


def text_of(step: Step) -> str:
    return "\n".join([step.title, step.why, *step.notes, step.blocked])


# --- Row checks -------------------------------------------------------------------------------


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


def inferred(policy: str, name: str, expected: bool = True, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        for s in of(plan.accounts[index], policy):
            (setting,) = [x for x in s.settings if x.field == name]
            assert setting.inferred is expected, (s.key, name)

    return check


def blocked(policy: str, *words: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        steps = of(plan.accounts[index], policy)
        assert steps and all(s.blocked for s in steps), policy
        for s in steps:
            assert all(w in s.blocked for w in words), (words, s.blocked)

    return check


def step_says(policy: str, *words: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        steps = of(plan.accounts[index], policy)
        assert steps, policy
        for s in steps:
            assert all(w.lower() in text_of(s).lower() for w in words), (words, text_of(s))

    return check


def warns(*words: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        warnings = plan.accounts[index].warnings
        assert any(all(w in x for w in words) for x in warnings), (words, warnings)

    return check


def plan_warns(*words: str) -> Check:
    def check(plan: Plan) -> None:
        assert any(all(w in x for w in words) for x in plan.warnings), (words, plan.warnings)

    return check


def no_plan_warnings(plan: Plan) -> None:
    assert plan.warnings == ()


def caveat(*words: str) -> Check:
    def check(plan: Plan) -> None:
        found = [*plan.caveats, *plan.inferred]
        assert any(all(w in x for w in words) for x in found), (words, found)

    return check


def blocker(*words: str) -> Check:
    def check(plan: Plan) -> None:
        for acc in plan.accounts:
            assert acc.blockers, acc.organisation
            assert all(w in acc.blockers[0] for w in words), (words, acc.blockers)

    return check


def no_blockers(plan: Plan) -> None:
    assert all(acc.blockers == () for acc in plan.accounts)


def basis_says(*words: str) -> Check:
    def check(plan: Plan) -> None:
        assert all(w in plan.basis_note for w in words), (words, plan.basis_note)

    return check


def console(url: str, index: int = 0) -> Check:
    def check(plan: Plan) -> None:
        assert plan.accounts[index].gateway.console_url == url

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


def spf_facts(record: str, authorises: bool | None = True, dmarc: str = "") -> SendingDomainFacts:
    return SendingDomainFacts(
        domain="customer.example",
        spf_authorises_platform=authorises,
        spf_record=record,
        dmarc_policy=dmarc,
    )


SPF_OK = spf_facts("v=spf1 include:_spf.mail.example include:spf.platform-mail.example -all")
MANY_TERMS = " ".join(f"include:s{i}.example" for i in range(10))
SPF_LATE = spf_facts(f"v=spf1 {MANY_TERMS} include:spf.platform-mail.example -all")
SPF_PLUS_ALL = spf_facts("v=spf1 include:spf.platform-mail.example +all")
SPF_NOT = spf_facts("v=spf1 include:_spf.mail.example -all", authorises=False)


def _modes_by_basis() -> list[Scenario]:
    """Permitted Senders follows the basis; no other step for an external recipient."""
    rows = []
    senders = {
        "verified": (verified("hr@customer.example"), "hr@customer.example"),
        "unverified": (unverified("luke@customer.example"), SHARED),
        "sending_domain": (sending_domain(OWN_ADDRESS), OWN_ADDRESS),
    }
    for mode, (sending, address) in senders.items():
        for basis in Basis:
            ip_based = basis is not Basis.ADDRESS
            checks: list[Check] = [
                field_is(PS, SELECT, "Permit Sender"),
                field_is(PS, BASED_ON, HEADER),
                field_is(PS, APPLIES_FROM, "Individual Email Address"),
                field_is(PS, SPECIFICALLY, address),
                field_is(PS, "Applies To", "Internal Addresses"),
                field_is(PS, "Policy Override", "Leave unticked"),
                field_is(PS, "Set policy as perpetual", "Always On"),
                ranges_used(CIDRS if ip_based else ()),
                caveat("Policy Override", "existing policy of the same type"),
            ]
            if ip_based:
                checks += [field_is(PS, SOURCE_IPS, RANGES), caveat("IPv6"), basis_says("IP")]
            else:
                checks += [field_absent(PS, SOURCE_IPS), basis_says("the From address")]
            checks.append(
                plan_warns(SHARED, "profile group") if mode == "unverified" else no_plan_warnings
            )
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
    """§9 rule 3: Anti-Spoofing (a) Take No Action, Both, IP-scoped whatever the basis; (b) the
    SPF-Based Bypass; never a From-only exception to save."""
    ip_exception = (
        field_is(AS, SELECT, "Take No Action"),
        field_is(AS, BASED_ON, "Both"),
        field_is(AS, APPLIES_FROM, "Individual Email Address"),
        field_is(AS, SPECIFICALLY, OWN_ADDRESS),
        field_is(AS, "Applies To", "Internal Addresses"),
        field_is(AS, SOURCE_IPS, RANGES),
        field_is(AS, "Set policy as perpetual", "Always On"),
    )
    rows = []
    for mode, sending in (
        ("sending_domain", sending_domain(OWN_ADDRESS)),
        ("verified", verified(OWN_ADDRESS)),
    ):
        for basis in (Basis.ADDRESS, Basis.IP):
            rows.append(
                Scenario(
                    f"{mode}-own-organisation-{basis.value}",
                    request(sending, OWN, basis=basis, platform_ips=IPS),
                    [[PS, AS, VERIFY]],
                    [OWN_ADDRESS],
                    (
                        *ip_exception,
                        field_absent(PS, SOURCE_IPS)
                        if basis is Basis.ADDRESS
                        else field_is(PS, SOURCE_IPS, RANGES),
                        ranges_used(CIDRS),
                        caveat("looked up on"),
                    ),
                )
            )
    rows += [
        Scenario(
            "own-organisation-no-ips-no-spf-facts",
            request(sending_domain(OWN_ADDRESS), OWN),
            [[PS, AS, VERIFY]],
            [OWN_ADDRESS],
            (
                field_absent(AS, SOURCE_IPS),
                field_is(AS, BASED_ON, "Both"),
                blocked(AS, "Source IP Ranges", "include:spf.platform-mail.example", "first 10"),
                ranges_used(()),
            ),
        ),
        Scenario(
            "own-organisation-no-ips-spf-authorises",
            request(sending_domain(OWN_ADDRESS), OWN, facts=SPF_OK),
            [[PS, SPF, VERIFY]],
            [OWN_ADDRESS],
            (
                field_is(SPF, "When IP Matches SPF Record of", "customer.example"),
                field_is(SPF, SELECT, "Enable"),
                inferred(SPF, SELECT),
                field_is(SPF, APPLIES_FROM, "Everyone"),
                field_is(SPF, "Applies To", "Everyone"),
                caveat("SPF-Based Bypass"),
            ),
        ),
        Scenario(
            "own-organisation-ips-and-spf-authorises",
            request(sending_domain(OWN_ADDRESS), OWN, platform_ips=IPS, facts=SPF_OK),
            [[PS, AS, SPF, VERIFY]],
            [OWN_ADDRESS],
            (*ip_exception, lambda plan: _optional(plan, SPF)),
        ),
        Scenario(
            "spf-include-after-the-tenth-term",
            request(sending_domain(OWN_ADDRESS), OWN, facts=SPF_LATE),
            [[PS, AS, VERIFY]],
            [OWN_ADDRESS],
            (blocked(AS, "term 11", "first 10"),),
        ),
        Scenario(
            "spf-ends-in-plus-all",
            request(sending_domain(OWN_ADDRESS), OWN, facts=SPF_PLUS_ALL),
            [[PS, AS, VERIFY]],
            [OWN_ADDRESS],
            (blocked(AS, "+all"),),
        ),
        Scenario(
            "spf-does-not-authorise-platform",
            request(sending_domain(OWN_ADDRESS), OWN, facts=SPF_NOT),
            [[PS, AS, VERIFY]],
            [OWN_ADDRESS],
            (blocked(AS, "does not include:spf.platform-mail.example"),),
        ),
        Scenario(
            "permit-whole-domain-to-own-organisation",
            request(
                sending_domain(OWN_ADDRESS, "hr@customer.example", whole=True),
                OWN,
                platform_ips=IPS,
            ),
            [[PS, AS, VERIFY]],
            [OWN_ADDRESS, "hr@customer.example"],
            (
                field_is(PS, APPLIES_FROM, "Email Domain"),
                field_is(PS, SPECIFICALLY, "customer.example"),
                field_is(AS, APPLIES_FROM, "Email Domain"),
                field_is(AS, SPECIFICALLY, "customer.example"),
                field_is(AS, SOURCE_IPS, RANGES),
            ),
        ),
        Scenario(
            "several-accounts-only-one-internal",
            request(sending_domain(OWN_ADDRESS), OWN, EXT, platform_ips=IPS),
            [[PS, AS, VERIFY], [PS, VERIFY]],
            [OWN_ADDRESS],
            (field_is(AS, SOURCE_IPS, RANGES), ranges_used((), index=1)),
        ),
    ]
    return rows


def _optional(plan: Plan, policy: str) -> None:
    (found,) = of(plan.accounts[0], policy)
    assert found.optional
    assert re.match(r"(Optional|Only if|Fallback)", found.title) or found.why.startswith(
        ("Optional", "Only if", "If you use")
    ), (found.title, found.why)


def _display_names() -> list[Scenario]:
    """§4, §9 rules 2 and 5: the shared address with an internal address as display name gets an
    Impersonation bypass that works, and no Anti-Spoofing step; external senders only."""
    impersonation = (
        field_is(IMP, SELECT, "Disable Impersonation Protect"),
        field_is(IMP, BASED_ON, HEADER),
        field_is(IMP, APPLIES_FROM, "Individual Email Address"),
        field_is(IMP, SPECIFICALLY, SHARED),
        field_is(IMP, "Applies To", "Internal Addresses"),
        field_is(IMP, "Set policy as perpetual", "Always On"),
        step_says(IMP, "Anti-Spoofing", "DMARC"),
        caveat("Unconfirmed", "display name"),
    )
    return [
        Scenario(
            "display-name-holds-a-recipient-address",
            request(unverified("luke@customer.example"), OWN),
            [[PS, IMP, VERIFY]],
            [SHARED],
            (*impersonation, field_absent(IMP, SOURCE_IPS), plan_warns("Anti-Spoofing", "DMARC")),
        ),
        Scenario(
            "display-name-holds-a-recipient-address-ips-known",
            request(unverified("luke@customer.example"), OWN, platform_ips=IPS),
            [[PS, IMP, VERIFY]],
            [SHARED],
            (*impersonation, field_is(IMP, SOURCE_IPS, RANGES), field_absent(PS, SOURCE_IPS)),
        ),
        Scenario(
            "display-name-holds-a-recipient-address-bulk",
            request(unverified("luke@customer.example"), OWN_BULK, platform_ips=IPS),
            [[PS, IMP, GREY, VERIFY]],
            [SHARED],
            impersonation,
        ),
        Scenario(
            "display-name-names-the-recipient-domain",
            request(verified("luke@elsewhere.example", display_name="Customer.example HR"), OWN),
            [[PS, IMP, VERIFY]],
            ["luke@elsewhere.example"],
            (field_is(IMP, SELECT, "Disable Impersonation Protect"),),
        ),
        Scenario(
            "customer-address-elsewhere",
            request(unverified("luke@elsewhere.example"), OWN),
            [[PS, VERIFY]],
            [SHARED],
        ),
        Scenario(
            # §4: a From at the recipient's own domain is not judged by Impersonation Protect.
            "internal-from-with-the-domain-in-its-display-name",
            request(sending_domain(OWN_ADDRESS, display_name="customer.example surveys"), OWN),
            [[PS, AS, VERIFY]],
            [OWN_ADDRESS],
        ),
        Scenario(
            "internal-from-with-a-colleagues-name",
            request(sending_domain(OWN_ADDRESS, display_name="Luke Smith"), OWN, platform_ips=IPS),
            [[PS, AS, VERIFY]],
            [OWN_ADDRESS],
            (lambda plan: _no_impersonation_words(plan.accounts[0]),),
        ),
        Scenario(
            "external-from-with-a-colleagues-name",
            request(
                verified("luke@gmail.example", display_name="Luke Smith", customer=OWN_ADDRESS),
                OWN,
            ),
            [[PS, VERIFY]],
            ["luke@gmail.example"],
            (warns("Luke Smith", "Internal User Name", "Disable Impersonation Protect"),),
        ),
    ]


def _no_impersonation_words(acc: AccountPlan) -> None:
    assert not any("Impersonation" in w for w in acc.warnings), acc.warnings


def _greylisting() -> list[Scenario]:
    """§3, §9 rule 6: IP-scoped when known; the envelope domain as the IP-free route."""
    grey = (
        field_is(GREY, SELECT, "Take No Action"),
        inferred(GREY, SELECT),
        field_is(GREY, BASED_ON, ENVELOPE),
        field_is(GREY, "Set policy as perpetual", "Always On"),
        field_absent(GREY, "Policy Override"),
        caveat("no action"),
    )
    return [
        Scenario(
            "bulk-ips-known-envelope-unknown",
            request(verified("hr@customer.example"), EXT_BULK, platform_ips=IPS),
            [[PS, GREY, VERIFY]],
            ["hr@customer.example"],
            (
                *grey,
                field_is(GREY, APPLIES_FROM, "Everyone"),
                field_is(GREY, SOURCE_IPS, RANGES),
                inferred(GREY, SOURCE_IPS),
                caveat("unconfirmed", "Email Domain", "Message Tracking"),
            ),
        ),
        Scenario(
            "bulk-ips-and-envelope-known",
            request(
                verified("hr@customer.example"),
                EXT_BULK,
                platform_ips=IPS,
                envelope_domain="Bounce.Platform-Mail.example",
            ),
            [[PS, GREY, VERIFY]],
            ["hr@customer.example"],
            (
                *grey,
                field_is(GREY, APPLIES_FROM, "Email Domain"),
                field_is(GREY, SPECIFICALLY, "bounce.platform-mail.example"),
                field_is(GREY, SOURCE_IPS, RANGES),
                caveat("Specifically: bounce.platform-mail.example"),
            ),
        ),
        Scenario(
            "bulk-envelope-from-the-bounce-address",
            request(
                verified("hr@customer.example"),
                EXT_BULK,
                bounce_address="bounces@return.platform-mail.example",
            ),
            [[PS, GREY, VERIFY]],
            ["hr@customer.example"],
            (
                field_is(GREY, SPECIFICALLY, "return.platform-mail.example"),
                field_absent(GREY, SOURCE_IPS),
            ),
        ),
        Scenario(
            "bulk-without-ips-or-envelope",
            request(verified("hr@customer.example"), EXT_BULK),
            [[PS, GREY, VERIFY]],
            ["hr@customer.example"],
            (
                *grey,
                field_is(GREY, APPLIES_FROM, "Email Domain"),
                field_absent(GREY, SOURCE_IPS),
                step_says(GREY, "451"),
                lambda plan: _specifically_says(plan, GREY, "Message Tracking"),
            ),
        ),
    ]


def _specifically_says(plan: Plan, policy: str, words: str) -> None:
    for s in of(plan.accounts[0], policy):
        assert words in settings(s)[SPECIFICALLY], settings(s)


def _dmarc() -> list[Scenario]:
    """§5, §9 rules 3–4: an enforcing DMARC the platform's mail fails is said first, everywhere."""
    reject = spf_facts("v=spf1 include:spf.platform-mail.example -all", dmarc="reject")
    return [
        Scenario(
            "dmarc-reject-without-dkim",
            request(sending_domain(OWN_ADDRESS), OWN, EXT, facts=reject, dkim_selectors=("s1",)),
            [[PS, SPF, VERIFY], [PS, VERIFY]],
            [OWN_ADDRESS],
            (blocker("p=reject", "no allow-list policy", "s1._domainkey.customer.example"),),
        ),
        Scenario(
            "dmarc-quarantine-verified-address",
            request(
                verified(OWN_ADDRESS),
                EXT,
                facts=spf_facts("v=spf1 -all", authorises=False, dmarc="quarantine"),
            ),
            [[PS, VERIFY]],
            [OWN_ADDRESS],
            (blocker("p=quarantine", "held"),),
        ),
        Scenario(
            "dmarc-none",
            request(sending_domain(OWN_ADDRESS), EXT, facts=spf_facts("v=spf1 -all", dmarc="none")),
            [[PS, VERIFY]],
            [OWN_ADDRESS],
            (no_blockers,),
        ),
        Scenario(
            "dmarc-reject-with-dkim",
            request(
                sending_domain(OWN_ADDRESS),
                EXT,
                facts=SendingDomainFacts(
                    domain="customer.example", dmarc_policy="reject", dkim_selectors_found=("s1",)
                ),
            ),
            [[PS, VERIFY]],
            [OWN_ADDRESS],
            (no_blockers,),
        ),
        Scenario(
            "dmarc-reject-spf-aligned-through-the-envelope",
            request(
                sending_domain(OWN_ADDRESS),
                EXT,
                facts=reject,
                envelope_domain="bounce.customer.example",
            ),
            [[PS, VERIFY]],
            [OWN_ADDRESS],
            (no_blockers,),
        ),
        Scenario(
            "dmarc-unchecked",
            request(sending_domain(OWN_ADDRESS), EXT),
            [[PS, VERIFY]],
            [OWN_ADDRESS],
            (no_blockers, caveat("DMARC: couldn't check — customer.example's DMARC is not known")),
        ),
        Scenario(
            "dmarc-ignored-for-the-shared-address",
            request(unverified("luke@customer.example"), EXT, facts=reject),
            [[PS, VERIFY]],
            [SHARED],
            (no_blockers,),
        ),
    ]


def _gateways() -> list[Scenario]:
    api = GatewayInfo(name="mimecast_api", evidence=("x.mail.protection.outlook.com",), forced=True)
    return [
        Scenario(
            "mimecast-email-security-api",
            request(verified("hr@customer.example"), account("recipient.example", gateway=api)),
            [[API, M_ALLOW, M_RULE, M_TRACE]],
            ["hr@customer.example"],
            (
                field_is(API, "Sender address", "hr@customer.example"),
                inferred(API, "Sender address"),
                console(""),  # the Email Security – API console's address is unconfirmed
                warns("Allow Rules"),
                caveat("Allow Rule", "unconfirmed"),
            ),
        ),
        *(
            Scenario(
                f"region-{code}",
                request(
                    verified("hr@customer.example"),
                    account("recipient.example", gateway=GatewayInfo(name="mimecast", region=code)),
                ),
                [[PS, VERIFY]],
                ["hr@customer.example"],
                (console(url),),
            )
            for code, url in (
                ("eu", "https://login-eu.mimecast.com"),
                ("usb", "https://login-usb.mimecast.com"),
                ("ca", "https://login-ca.mimecast.com"),
                ("za", "https://login-za.mimecast.com"),
            )
        ),
    ]


M365 = GatewayInfo(name="microsoft365", evidence=("x.mail.protection.outlook.com",))
GOOGLE = GatewayInfo(name="google", evidence=("aspmx.l.google.com",))
EXT_M365 = account("recipient.example", organisation="Recipient Ltd", gateway=M365)
OWN_M365 = account("customer.example", organisation="Customer Ltd", gateway=M365)
EXT_GOOGLE = account("recipient.example", organisation="Recipient Ltd", gateway=GOOGLE)
OWN_GOOGLE = account("customer.example", organisation="Customer Ltd", gateway=GOOGLE)
IPV4 = "192.0.2.10/32, 198.51.100.0/24"


def _chain(mailbox: str) -> GatewayInfo:
    return GatewayInfo(
        name="mimecast",
        region="eu",
        evidence=("eu-smtp-inbound-1.mimecast.com",),
        also_seen=(mailbox,),
    )


def _microsoft365() -> list[Scenario]:
    """other-gateways §2, §13.1: a lapsing sender allow, a rule with two conditions, the
    spoofed-sender pair for the own-domain case, Enhanced Filtering behind a gateway."""
    allow = (
        field_is(M_ALLOW, m365.REMOVE_AFTER, "45 days after last used date"),
        step_says(M_ALLOW, "lapses", "New-TenantAllowBlockListItems -ListType Sender -Allow"),
        field_is(M_RULE, m365.RULE_SCL, "Bypass spam filtering"),
        caveat("Advanced delivery", "IP Allow List"),
        console("https://security.microsoft.com"),
    )
    return [
        Scenario(
            "m365-shared-address",
            request(unverified("luke@elsewhere.example"), EXT_M365, platform_ips=IPS),
            [[M_ALLOW, M_RULE, M_TRACE]],
            [SHARED],
            (
                *allow,
                field_is(M_ALLOW, m365.ENTRIES, SHARED),
                field_is(M_RULE, m365.RULE_FROM, SHARED),
                field_is(M_RULE, m365.RULE_IPS, IPV4),  # IPv4 only: no IPv6 in rules here
                field_absent(M_RULE, m365.RULE_DMARC),
                field_is(M_TRACE, m365.SENDERS, SHARED),
            ),
        ),
        Scenario(
            "m365-verified-external-without-ips",
            request(verified("hr@customer.example"), EXT_M365),
            [[M_ALLOW, M_RULE, M_TRACE]],
            ["hr@customer.example"],
            (
                *allow,
                field_is(M_RULE, m365.RULE_DMARC, "dmarc=pass, dmarc=bestguesspass"),
                field_absent(M_RULE, m365.RULE_IPS),
            ),
        ),
        Scenario(
            "m365-display-name-at-the-recipient",
            request(unverified("luke@customer.example"), OWN_M365, platform_ips=IPS),
            [[M_ALLOW, M_RULE, M_TRUSTED, M_TRACE]],
            [SHARED],
            (field_is(M_TRUSTED, m365.TRUSTED, SHARED), lambda plan: _optional(plan, M_TRUSTED)),
        ),
        Scenario(
            "m365-own-domain-to-own-organisation",
            request(sending_domain(OWN_ADDRESS), OWN_M365, platform_ips=IPS),
            [[M_SPOOF, M_TRACE]],
            [OWN_ADDRESS],
            (
                field_is(
                    M_SPOOF,
                    m365.PAIRS,
                    "customer.example, 192.0.2.0/24; customer.example, 198.51.100.0/24",
                ),
                field_is(M_SPOOF, m365.SPOOF_TYPE, "Internal"),
                field_is(M_SPOOF, m365.ACTION, "Allow"),
                inferred(M_SPOOF, m365.PAIRS, expected=False),
            ),
        ),
        Scenario(
            "m365-own-domain-without-ips",
            request(sending_domain(OWN_ADDRESS), OWN_M365),
            [[M_SPOOF, M_TRACE]],
            [OWN_ADDRESS],
            (inferred(M_SPOOF, m365.PAIRS), step_says(M_SPOOF, "never expires")),
        ),
        Scenario(
            "mimecast-in-front-of-m365",
            request(
                verified("hr@customer.example"),
                account("recipient.example", gateway=_chain("microsoft365")),
                platform_ips=IPS,
            ),
            [[PS, VERIFY, M_ENHANCED, M_ALLOW, M_TRACE]],
            ["hr@customer.example"],
            (
                field_is(
                    M_ENHANCED, m365.SKIP_IPS, "Automatically detect and skip the last IP address"
                ),
                field_is(M_ENHANCED, m365.APPLY_TO, "Apply to entire organization"),
                warns("secondary MX", "skip Mimecast"),
                console("https://login-eu.mimecast.com"),
            ),
        ),
    ]


def _google() -> list[Scenario]:
    """other-gateways §3, §13.2: approved senders by header From with authentication on, the IP
    allowlist as the fallback, the front gateway's IPs (never the platform's) as Inbound gateway."""
    approved = (
        field_is(G_APPROVED, google.BYPASS, "Ticked"),
        field_is(G_APPROVED, google.AUTHENTICATION, "On"),
        inferred(G_APPROVED, google.AUTHENTICATION),
        caveat("Inbound gateway", "SPF and DMARC"),
        console("https://admin.google.com"),
    )
    return [
        Scenario(
            "google-verified-external",
            request(verified("hr@customer.example"), EXT_GOOGLE, platform_ips=IPS),
            [[G_APPROVED, G_ALLOWLIST, G_LOG]],
            ["hr@customer.example"],
            (
                *approved,
                field_is(G_APPROVED, google.ADDRESS_LIST, "hr@customer.example"),
                field_is(G_ALLOWLIST, google.ALLOWLIST, RANGES),
                lambda plan: _optional(plan, G_ALLOWLIST),
            ),
        ),
        Scenario(
            "google-shared-address-without-ips",
            request(unverified("luke@elsewhere.example"), EXT_GOOGLE),
            [[G_APPROVED, G_LOG]],
            [SHARED],
            (*approved, field_is(G_APPROVED, google.ADDRESS_LIST, SHARED)),
        ),
        Scenario(
            "google-own-domain",
            request(sending_domain(OWN_ADDRESS), OWN_GOOGLE, platform_ips=IPS),
            [[G_APPROVED, G_ALLOWLIST, G_LOG]],
            [OWN_ADDRESS],
            (step_says(G_APPROVED, "spoofing your domain"),),
        ),
        Scenario(
            "mimecast-in-front-of-google",
            request(
                verified("hr@customer.example"),
                account("recipient.example", gateway=_chain("google")),
                platform_ips=IPS,
            ),
            [[PS, VERIFY, G_GATEWAY, G_APPROVED, G_ALLOWLIST, G_LOG]],
            ["hr@customer.example"],
            (
                field_is(G_GATEWAY, google.DETECT, "On"),
                lambda plan: _specifically_not(plan, G_GATEWAY, google.GATEWAY_IPS, "192.0.2"),
            ),
        ),
    ]


def _specifically_not(plan: Plan, policy: str, name: str, words: str) -> None:
    for s in of(plan.accounts[0], policy):
        assert words not in settings(s)[name], settings(s)


def _other_gateways() -> list[Scenario]:
    """other-gateways §13.3–§13.10: each gateway's allow entry with the address type it matches,
    rate control for bulk sends, its own check; a gateway with no facts gets no steps."""

    def on(name: str, mx: str, bulk: bool = False) -> RecipientAccount:
        gateway = GatewayInfo(name=name, evidence=(mx,))
        return account(
            "recipient.example", organisation="Recipient Ltd", gateway=gateway, bulk=bulk
        )

    shared = unverified("luke@elsewhere.example")
    return [
        Scenario(
            "barracuda-bulk",
            request(
                verified("hr@customer.example"),
                on("barracuda", "d1.ess.barracudanetworks.com", bulk=True),
                platform_ips=IPS,
            ),
            [[O_ALLOW, O_ALLOW, O_RATE, O_CHECK]],
            ["hr@customer.example"],
            (
                lambda plan: _values(plan, O_ALLOW, "IP Address / Netmask", RANGES),
                lambda plan: _values(plan, O_RATE, "IP Address / Netmask", RANGES),
                caveat("Rate Control still apply"),
            ),
        ),
        Scenario(
            "barracuda-without-ips",
            request(
                verified("hr@customer.example"), on("barracuda", "d1.ess.barracudanetworks.com")
            ),
            [[O_ALLOW, O_ALLOW, O_CHECK]],
            ["hr@customer.example"],
            (lambda plan: _first_blocked(plan, O_ALLOW, "IP ranges"),),
        ),
        Scenario(
            # §13.8: Email Security.cloud matches the envelope only.
            "broadcom-envelope-sender",
            request(
                shared,
                on("broadcom", "cluster1.eu.messagelabs.com"),
                envelope_domain="bounce.platform-mail.example",
            ),
            [[O_ALLOW, O_CHECK]],
            [SHARED],
            (field_is(O_ALLOW, "Domain/Email/IP", "bounce.platform-mail.example"),),
        ),
        Scenario(
            "cisco-by-connecting-server",
            request(shared, on("cisco", "mx1.hc1234-1.iphmx.com"), platform_ips=IPS),
            [[O_ALLOW, O_CHECK]],
            [SHARED],
            (field_is(O_ALLOW, "Mail Flow Policy", "TRUSTED"), field_is(O_ALLOW, "Sender", RANGES)),
        ),
        Scenario(
            "proofpoint-essentials",
            request(
                shared,
                on("proofpoint", "mx1-eu1.ppe-hosted.com"),
                envelope_domain="bounce.platform-mail.example",
            ),
            [[O_ALLOW, O_CHECK]],
            [SHARED],
            (
                field_is(O_ALLOW, "Safe Sender List", f"{SHARED}, bounce.platform-mail.example"),
                caveat("Fraud", "Anti-Spoofing exception"),
            ),
        ),
        Scenario(
            "cloudflare-accept-sender",
            request(
                verified("hr@customer.example"), on("cloudflare", "mailstream-eu1.mxrecord.io")
            ),
            [[O_ALLOW, O_CHECK]],
            ["hr@customer.example"],
            (
                field_is(O_ALLOW, "Action", "Accept sender"),
                field_is(O_ALLOW, "Sender verification", "On"),
            ),
        ),
        Scenario(
            "proofpoint-in-front-of-m365",
            request(
                verified("hr@customer.example"),
                account(
                    "recipient.example",
                    gateway=GatewayInfo(
                        name="proofpoint",
                        evidence=("mx1.pphosted.com",),
                        also_seen=("microsoft365",),
                    ),
                ),
                platform_ips=IPS,
            ),
            [[O_ALLOW, O_ALLOW, O_CHECK, M_ENHANCED, M_ALLOW, M_TRACE]],
            ["hr@customer.example"],
            (step_says(M_ENHANCED, "Proofpoint"),),
        ),
        Scenario(
            "gateway-without-facts",
            request(
                verified("hr@customer.example"), on("fastmail", "in1-smtp.messagingengine.com")
            ),
            [[]],
            ["hr@customer.example"],
            (warns("Fastmail", "do not apply"),),
        ),
    ]


def _values(plan: Plan, policy: str, name: str, value: str) -> None:
    assert any(settings(s).get(name) == value for s in of(plan.accounts[0], policy)), policy


def _first_blocked(plan: Plan, policy: str, words: str) -> None:
    assert words in of(plan.accounts[0], policy)[0].blocked


def _links() -> list[Scenario]:
    """§11: unique survey links get an optional URL Protection Bypass, with its cost."""
    return [
        Scenario(
            "unique-links",
            request(verified("hr@customer.example", unique_links=True), EXT, platform_ips=IPS),
            [[PS, URL, VERIFY]],
            ["hr@customer.example"],
            (
                field_is(URL, SELECT, "Disable URL Protection"),
                field_is(URL, SPECIFICALLY, "hr@customer.example"),
                field_is(URL, SOURCE_IPS, RANGES),
                step_says(URL, "cost", "one-time"),
                lambda plan: _optional(plan, URL),
                caveat("Managed URL"),
            ),
        ),
    ]


SCENARIOS = [
    *_modes_by_basis(),
    *_own_domain(),
    *_display_names(),
    *_greylisting(),
    *_dmarc(),
    *_gateways(),
    *_links(),
    *_microsoft365(),
    *_google(),
    *_other_gateways(),
]
BY_ID = {s.id: s for s in SCENARIOS}


def test_scenario_ids_are_unique() -> None:
    assert len(BY_ID) == len(SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_it_gives_each_scenario_the_steps_and_values_the_rules_require(
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
    text = "\n".join([all_text(plan), *plan.caveats, *plan.inferred, plan.basis_note])
    # Nothing internal reaches a reader, and no step tells IT not to save it.
    assert "§" not in text and "reference" not in text.lower()
    assert "do not save" not in text.lower()
    assert "Eternal" not in text
    # Each caveat is said once per document.
    assert len(set(plan.caveats)) == len(plan.caveats)
    # Microsoft's spoofed-sender pair may name the /24 a platform address sits in.
    blocks = {
        str(ipaddress.ip_network(r).supernet(new_prefix=24))
        for r in known
        if ":" not in r and ipaddress.ip_network(r).prefixlen >= 24
    }
    for found in _IP_LIKE.findall(text):
        assert str(ipaddress.ip_network(found, strict=False)) in known | blocks, found
    for acc in plan.accounts:
        _account_properties(acc, known)


def _account_properties(acc: AccountPlan, known: set[str]) -> None:
    assert set(acc.ip_ranges) <= known
    covered = ("microsoft365", "google", *others.GATEWAYS)
    if not acc.gateway.mimecast_steps_apply and acc.gateway.name not in covered:
        assert acc.steps == ()
        assert any(acc.gateway.label in w and "do not apply" in w for w in acc.warnings)
        return
    # Each layer ends with its own check; the last layer's check ends the account.
    checks = ("verify", "m365_message_trace", "google_email_log_search", "gateway_check")
    assert acc.steps[-1].policy.value in checks
    if acc.gateway.name == "mimecast":
        assert [s.policy for s in acc.steps].count(PolicyId.VERIFY) == 1
    assert len({s.key for s in acc.steps}) == len(acc.steps)
    for s in acc.steps:
        _step_properties(acc, s, known)


def _step_properties(acc: AccountPlan, s: Step, known: set[str]) -> None:
    assert s.help_url.startswith("https://"), s.key
    if s.policy.value.startswith(("m365_", "google_", "gateway_")):
        if not s.policy.value.startswith("gateway_"):
            assert {x.field for x in s.settings} <= OTHER_FIELDS, s.settings
        assert s.path.current and "→" in s.path.current
        return
    assert s.help_url.startswith("https://mimecastsupport.zendesk.com/"), s.key
    assert "\n" not in s.why and len(s.why) < 260, s.why  # the purpose in one line
    fields = settings(s)
    assert {x.field for x in s.settings} <= FORM_FIELDS, s.settings
    for x in s.settings:
        assert x.value.strip(), (s.key, x.field)
    if SOURCE_IPS in fields:
        entries = fields[SOURCE_IPS].split(", ")
        assert all(str(ipaddress.ip_network(e, strict=True)) == e for e in entries)
        assert set(entries) <= known
    if s.policy is PolicyId.VERIFY and not acc.gateway.mimecast_api:
        assert s.path.current == "Message Center → Message Tracking"
        assert s.path.legacy == "Administration → Message Center → Message Tracking"
        assert "5 minutes" in s.why and "not had" in s.why
    elif s.policy not in (PolicyId.ALLOW_RULE, PolicyId.VERIFY):
        assert s.path.current.startswith("Policies → Gateway Policies → ")
        assert s.path.legacy.startswith("Administration → Gateway → Policies → ")
    if "Set policy as perpetual" in fields:
        assert fields["Set policy as perpetual"] == "Always On"
    if s.policy is PolicyId.PERMITTED_SENDERS:
        assert fields[SELECT] == "Permit Sender"
        assert fields[BASED_ON] in (HEADER, "Both")
    if s.policy is PolicyId.ANTI_SPOOFING_BYPASS:
        # §2 [S85]: internal scope only, Both, and IPs whenever they are known.
        assert (fields[SELECT], fields[BASED_ON]) == ("Take No Action", "Both")
        assert fields[SPECIFICALLY].rpartition("@")[2] in acc.domains
        assert (SOURCE_IPS in fields) == bool(known) == (not s.blocked)
    if s.policy is PolicyId.IMPERSONATION_BYPASS:
        # §4: Take No Action would switch the bypass off; external senders only.
        assert fields[SELECT] == "Disable Impersonation Protect"
        assert fields[SPECIFICALLY].rpartition("@")[2] not in acc.domains
        assert (SOURCE_IPS in fields) == bool(known)
    if s.policy is PolicyId.GREYLISTING_BYPASS:
        assert (SOURCE_IPS in fields) == bool(known)
        assert fields[APPLIES_FROM] != "Everyone" or SOURCE_IPS in fields
    if s.policy is PolicyId.URL_PROTECTION_BYPASS:
        assert fields[SELECT] == "Disable URL Protection" and s.optional


# --- Every menu path, exactly ---------------------------------------------------------------

_GP, _LP = "Policies → Gateway Policies → ", "Administration → Gateway → Policies → "
_THREAT = (
    "Microsoft Defender portal (security.microsoft.com) → Email & collaboration → Policies & "
    "rules → Threat policies → "
)
_SPAM = (
    "Admin console (admin.google.com) → Apps → Google Workspace → Gmail → Spam, Phishing and "
    "Malware → "
)
PATHS = {
    PS: (_GP + "Permitted Senders", _LP + "Permitted Senders"),
    AS: (_GP + "Anti-Spoofing", _LP + "Anti-Spoofing"),
    SPF: (_GP + "Anti-Spoofing SPF-Based Bypass", _LP + "Anti-Spoofing SPF-Based Bypass"),
    IMP: (_GP + "Impersonation Protection Bypass", _LP + "Impersonation Protection Bypass"),
    GREY: (_GP + "Greylisting", _LP + "Greylisting"),
    URL: (_GP + "URL Protection Bypass", _LP + "URL Protection Bypass"),
    VERIFY: (
        "Message Center → Message Tracking",
        "Administration → Message Center → Message Tracking",
    ),
    M_ALLOW: (_THREAT + "Tenant Allow/Block Lists → Domains & addresses → Add → Allow", ""),
    M_SPOOF: (_THREAT + "Tenant Allow/Block Lists → Spoofed senders → Add", ""),
    M_RULE: (
        "Exchange admin center (admin.exchange.microsoft.com) → Mail flow → Rules → Add a rule "
        "→ Create a new rule",
        "",
    ),
    M_ENHANCED: (
        _THREAT + "Enhanced filtering → the inbound connector from the gateway in front",
        "",
    ),
    M_TRACE: (
        "Exchange admin center (admin.exchange.microsoft.com) → Mail flow → Message trace",
        "",
    ),
    G_APPROVED: (
        _SPAM + "the organisational unit that receives the invitations → Spam → Configure",
        "",
    ),
    G_ALLOWLIST: (_SPAM + "top-level organisation → Email allowlist", ""),
    G_GATEWAY: (_SPAM + "top-level organisation → Inbound gateway → Edit", ""),
    G_LOG: ("Admin console → Reporting → Email Log Search", ""),
}


def test_every_step_names_its_menu_path_exactly() -> None:
    seen: set[str] = set()
    for scenario in SCENARIOS:
        for acc in build_plan(scenario.request).accounts:
            for s in acc.steps:
                if s.policy.value in PATHS:
                    assert (s.path.current, s.path.legacy) == PATHS[s.policy.value], s.key
                    seen.add(s.policy.value)
    assert seen == set(PATHS)  # every policy's path was met in some scenario
