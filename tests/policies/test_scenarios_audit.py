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
    assert found.optional and "Optional" in f"{found.title} {found.why}"


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
            (blocker("p=reject", "no Mimecast policy", "s1._domainkey.customer.example"),),
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
            (no_blockers, caveat("customer.example's DMARC could not be checked")),
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
    m365 = GatewayInfo(name="microsoft365", evidence=("x.mail.protection.outlook.com",))
    return [
        Scenario(
            "mimecast-email-security-api",
            request(verified("hr@customer.example"), account("recipient.example", gateway=api)),
            [[API, VERIFY]],
            ["hr@customer.example"],
            (
                field_is(API, "Sender address", "hr@customer.example"),
                inferred(API, "Sender address"),
                console(""),
                warns("Allow Rules"),
                caveat("Allow Rule", "unconfirmed"),
            ),
        ),
        Scenario(
            "microsoft-365-names-the-api-deployment",
            request(verified("hr@customer.example"), account("recipient.example", gateway=m365)),
            [[]],
            ["hr@customer.example"],
            (warns("Microsoft 365", "do not apply", "Email Security – API"),),
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
    for found in _IP_LIKE.findall(text):
        assert str(ipaddress.ip_network(found, strict=False)) in known, found
    for acc in plan.accounts:
        _account_properties(acc, known)


def _account_properties(acc: AccountPlan, known: set[str]) -> None:
    assert set(acc.ip_ranges) <= known
    if not acc.gateway.mimecast_steps_apply:
        assert acc.steps == ()
        assert any(acc.gateway.label in w and "do not apply" in w for w in acc.warnings)
        return
    assert [s.policy for s in acc.steps].count(PolicyId.VERIFY) == 1
    assert acc.steps[-1].policy is PolicyId.VERIFY
    assert len({s.key for s in acc.steps}) == len(acc.steps)
    for s in acc.steps:
        _step_properties(acc, s, known)


def _step_properties(acc: AccountPlan, s: Step, known: set[str]) -> None:
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
