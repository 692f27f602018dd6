"""The policy engine: a customer's situation in, ordered Mimecast instructions out.

`build_plan(request)` is pure: no database, no network, no clock unless the request carries no
`generated_at`. Each rule lives in `apps.policies.rules` and cites docs/mimecast-rules.md.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from datetime import UTC, datetime

from apps.policies import gateways
from apps.policies import mimecast as mc
from apps.policies.addresses import (
    InvalidAddress,
    addresses_in_text,
    domain_of,
    domains_named_in_text,
    normalise_address,
    normalise_domain,
)
from apps.policies.rules import google, microsoft365, others
from apps.policies.rules.authentication import dmarc_blockers
from apps.policies.rules.caveats import account_summary, basis_note, caveats, inferred_notes
from apps.policies.rules.common import AccountContext, Sender
from apps.policies.rules.delivery import (
    allow_rule,
    greylisting_bypass,
    url_protection_bypass,
    verify,
)
from apps.policies.rules.impersonation import display_name_warning, impersonation_bypass
from apps.policies.rules.permitted import permitted_senders
from apps.policies.rules.spoofing import anti_spoofing
from apps.policies.types import (
    AccountPlan,
    Basis,
    GatewayInfo,
    GatewaySummary,
    Mode,
    Plan,
    PlanRequest,
    PlatformSummary,
    PolicyId,
    RecipientAccount,
    Step,
    WhitelistAddress,
)

# The mailbox services whose own filtering gets steps, behind a gateway or on their own.
MAILBOX_LAYERS = (microsoft365, google)
CONSOLES = {
    microsoft365.ID: "https://security.microsoft.com",
    google.ID: "https://admin.google.com",
}


def build_plan(request: PlanRequest) -> Plan:
    """The ordered Mimecast steps for every recipient account in `request`."""
    sender = sender_of(request)
    blockers = dmarc_blockers(request, sender)
    accounts = tuple(
        _with_caveats(request, sender, _account_plan(request, sender, account, blockers))
        for account in request.recipients
    )
    return Plan(
        accounts=accounts,
        platform=PlatformSummary(
            name=request.platform.name,
            shared_address=request.platform.shared_address,
            spf_include=request.platform.spf_include,
            server_hostnames=request.platform.server_hostnames,
            version=request.platform.version,
            ip_ranges=sender.ip_ranges,
            ips_resolved_at=request.platform_ips.resolved_at,
            ips_stale=request.platform_ips.stale,
        ),
        basis=request.basis,
        mode=request.sending.mode,
        generated_at=request.generated_at or datetime.now(UTC),
        warnings=_plan_warnings(request, sender, accounts),
        basis_note=basis_note(request, sender, accounts),
        # Said once per document: each account's own, without repeats.
        caveats=tuple(dict.fromkeys(c for a in accounts for c in a.caveats)),
        inferred=tuple(dict.fromkeys(n for a in accounts for n in a.inferred)),
    )


def _with_caveats(request: PlanRequest, sender: Sender, account: AccountPlan) -> AccountPlan:
    """The caveats a document for this account alone must carry (an IT share link, its PDF)."""
    return replace(
        account,
        caveats=caveats(request, sender, (account,)),
        inferred=inferred_notes(request, sender, account.steps),
    )


def for_account(plan: Plan, ref: str) -> Plan:
    """The plan as one recipient organisation's IT sees it: its account, and only the caveats
    and inferred-value notes its own steps need (KeyError for an unknown ref)."""
    account = next((a for a in plan.accounts if a.ref == ref), None)
    if account is None:
        raise KeyError(ref)
    return only(plan, account)


def only(plan: Plan, account: AccountPlan) -> Plan:
    """`plan` with just `account`, and the caveats and notes that account's steps need; the
    basis sentence only where it has a Permitted Senders step for the basis to govern."""
    permits = any(s.policy is PolicyId.PERMITTED_SENDERS for s in account.steps)
    return replace(
        plan,
        accounts=(account,),
        caveats=account.caveats,
        inferred=account.inferred,
        basis_note=plan.basis_note if permits else "",
    )


def needs_platform_ips(request: PlanRequest) -> bool:
    """Whether any step could use the platform's IP ranges (lets callers skip a DNS lookup)."""
    if request.basis is not Basis.ADDRESS or any(a.bulk for a in request.recipients):
        return True
    if request.sending.unique_links:
        return True  # §11: the URL Protection Bypass is best IP-scoped too
    layers = {layer.ID for layer in MAILBOX_LAYERS}
    if any(layers & {a.gateway.name, *a.gateway.also_seen} for a in request.recipients):
        return True  # other-gateways §13.1 rule 1, §13.2 rule 2: IP conditions and fallbacks
    sender = sender_of(request)
    own = {domain_of(a.address) for a in sender.from_addresses + sender.display_addresses}
    for account in request.recipients:
        domains = _domains(account)
        # Anti-Spoofing and Impersonation exceptions are best IP-scoped (§2, §9 rule 5).
        if own & set(domains) or domains_named_in_text(sender.display_text, domains):
            return True
    return False


def sender_of(request: PlanRequest) -> Sender:
    """§9 rule 2 / architecture "Sending modes": the From addresses recipients will see."""
    sending = request.sending
    if sending.mode is Mode.UNVERIFIED_ADDRESS:
        raw: tuple[str, ...] = (request.platform.shared_address,)
        display = sending.customer_address or sending.display_name
    else:
        raw = sending.from_addresses
        display = sending.display_name
    return Sender(
        from_addresses=_normalised(raw),
        display_text=display,
        display_addresses=addresses_in_text(display),
        ip_ranges=cidr_ranges(request.platform_ips.ranges),
        shared=sending.mode is Mode.UNVERIFIED_ADDRESS,
    )


def cidr_ranges(ranges: tuple[str, ...]) -> tuple[str, ...]:
    """§0 Source IP Ranges: CIDR notation, a single IP as /32 (IPv6: /128); bad entries dropped."""
    out: list[str] = []
    for raw in ranges:
        try:
            network = ipaddress.ip_network(str(raw).strip(), strict=False)
        except ValueError:
            continue
        if str(network) not in out:
            out.append(str(network))
    return tuple(out)


def _account_plan(
    request: PlanRequest, sender: Sender, account: RecipientAccount, blockers: tuple[str, ...]
) -> AccountPlan:
    domains = _domains(account)
    gateway = gateway_summary(account.gateway)
    warnings = list(_gateway_warnings(account.gateway, gateway, domains))
    steps: list[Step] = []
    ctx = AccountContext(request=request, account=account, sender=sender, domains=domains)
    if not account.gateway.receives_mail:
        # No gateway takes mail for these domains, so there is nothing for any IT team to set.
        warnings = [
            f"{', '.join(_shown(d) for d in domains)} can't receive email, so there is nothing "
            f"to set up: check the spelling of the domain. {account.gateway.detail}".strip()
        ]
    elif gateway.mimecast_steps_apply and not sender.from_addresses:
        warnings.append(
            "No From address was given, so there is nothing to permit yet. Add the address "
            "your mail is sent from."
        )
    elif sender.from_addresses:
        steps = _layers(ctx, account.gateway, gateway)
        if gateway.mimecast_steps_apply and not gateway.mimecast_api:
            warnings += [w for w in (display_name_warning(ctx),) if w]
    uses_ips = any(
        setting.field == mc.SOURCE_IPS and sender.ip_ranges
        for step_ in steps
        for setting in step_.settings
    )
    numbered = _numbered(steps)
    return AccountPlan(
        ref=account.ref,
        organisation=account.organisation,
        domains=domains,
        gateway=gateway,
        whitelist_addresses=sender.from_addresses,
        steps=numbered,
        warnings=tuple(warnings),
        ip_ranges=sender.ip_ranges if uses_ips else (),
        summary=account_summary(ctx.organisation, numbered),
        blockers=blockers,  # §5: DMARC fails at every recipient, whatever its gateway
    )


def _layers(ctx: AccountContext, info: GatewayInfo, summary: GatewaySummary) -> list[Step]:
    """Each filter in the path gets its own steps, front first (other-gateways §13.0 rule 1)."""
    steps: list[Step] = []
    front = ""
    if summary.mimecast_api:
        steps = allow_rule(ctx)  # §10: no gateway policies in the API deployment
    elif summary.mimecast_steps_apply:
        # §9 rule 1: one instruction set per recipient account.
        steps = [
            *permitted_senders(ctx),
            *anti_spoofing(ctx),
            *impersonation_bypass(ctx),
            *greylisting_bypass(ctx),
            *url_protection_bypass(ctx),
            verify(ctx),
        ]
        front = "Mimecast"
    elif (row := others.gateway_for(info.name, info.evidence)) is not None:
        steps = others.steps(ctx, row)
        front = summary.label
    names = [info.name, *info.also_seen]
    if summary.mimecast_api:
        names.append(microsoft365.ID)  # §10: the API deployment protects a Microsoft 365 tenant
    for mailbox in MAILBOX_LAYERS:
        if mailbox.ID in names:
            # The API deployment filters after delivery to Microsoft 365, not in front of it.
            steps += mailbox.steps(ctx, behind="" if summary.mimecast_api else front)
            break
    return steps


def gateway_summary(info: GatewayInfo) -> GatewaySummary:
    """§6: the console URL follows the region; non-Mimecast gateways get no Mimecast steps."""
    is_mimecast = info.name == gateways.MIMECAST
    api = info.name == gateways.MIMECAST_API
    unknown = not info.name and info.receives_mail
    applies = is_mimecast or api or unknown or gateways.MIMECAST in info.also_seen
    region = mc.region(info.region) if applies and not api else None
    console = region.console_url if region else CONSOLES.get(info.name or "", "")
    return GatewaySummary(
        name=info.name,
        label=gateways.label(info.name),
        region=region.code or None if region else None,
        region_label=region.label if region else "",
        console_url=console,
        evidence=info.evidence,
        detail=info.detail,
        mimecast_steps_apply=applies,
        mimecast_api=api,
    )


def _gateway_warnings(
    info: GatewayInfo, summary: GatewaySummary, domains: tuple[str, ...]
) -> list[str]:
    where = ", ".join(_shown(domain) for domain in domains)
    found = f" (mail servers: {', '.join(info.evidence)})" if info.evidence else ""
    if not info.name:
        reason = f" {info.detail}" if info.detail else ""
        return [
            f"Gateway detection failed: we could not tell which email gateway protects "
            f"{where}.{reason} The Mimecast steps below apply only if this organisation uses "
            "Mimecast; ask its IT team."
        ]
    if summary.mimecast_api:
        # §10: MX points at Microsoft; the customer said Mimecast runs through the API.
        return [
            f"Mail for {where} arrives at Microsoft 365{found}, with Mimecast Email Security – "
            "API behind it (as chosen): there are no gateway policies there, only Allow Rules."
        ]
    if summary.name != gateways.MIMECAST and summary.mimecast_steps_apply:
        return [
            f"Mail for {where} arrives through {summary.label}{found}, with Mimecast also in "
            "the path; the Mimecast steps below apply to the Mimecast account."
        ]
    if info.name in (microsoft365.ID, google.ID):
        # other-gateways §2, §3; §9 rule 10: MX cannot tell Microsoft 365 from the API case.
        api = (
            " If Mimecast also protects it through Microsoft 365's API (Email Security – API), "
            "choose that in the options for Mimecast Allow Rule steps as well."
            if info.name == microsoft365.ID
            else ""
        )
        return [f"Mail for {where} arrives at {summary.label}{found}.{api}"]
    if others.gateway_for(info.name, info.evidence) is not None:
        # other-gateways §13.3–§13.10: the gateway's own allow mechanism follows.
        return [f"Mail for {where} arrives through {summary.label}{found}."]
    if not summary.mimecast_steps_apply:
        arrives = (
            f"{summary.label} was chosen (not detected) as the gateway for {where}"
            if info.forced and not info.evidence
            else f"Mail for {where} arrives through {summary.label}{found}"
        )
        # §9 rule 10: MX alone cannot tell Microsoft 365 from Mimecast's API deployment.
        api = (
            " If Mimecast protects it through Microsoft 365's API (Email Security – API), "
            "choose that instead for Mimecast Allow Rule steps."
            if info.name == "microsoft365"
            else ""
        )
        return [
            f"{arrives}, not Mimecast, so these Mimecast instructions do not apply. Ask the "
            f"organisation's IT team to allow the From addresses listed here in "
            f"{summary.label}.{api}"
        ]
    warnings = []
    beside = [gateways.label(name) for name in info.also_seen if name != gateways.MIMECAST]
    if beside:
        # other-gateways §13.0 rule 1: an MX beside Mimecast is a path that skips it.
        warnings.append(
            f"{where}'s MX records also list {', '.join(beside)} directly: a secondary MX that "
            "lets senders skip Mimecast. Each layer has its own steps below."
        )
    region = mc.region(info.region)
    if region.note:
        warnings.append(region.note)
    if info.forced and not info.evidence:
        warnings.append(
            f"Mimecast was chosen by hand for {where}, not detected from its mail servers."
        )
    return warnings


def _plan_warnings(
    request: PlanRequest, sender: Sender, accounts: tuple[AccountPlan, ...]
) -> tuple[str, ...]:
    """§9 rule 2: the shared address is every platform customer's From; say it once."""
    if not sender.shared or not sender.from_addresses:
        return ()
    if not any(a.gateway.mimecast_steps_apply for a in accounts):
        return ()
    name = request.platform.name
    forged = "" if request.basis is not Basis.ADDRESS and sender.ip_ranges else " and forgeries"
    customer = request.sending.customer_address
    colleagues = any(customer and domain_of(customer) in a.domains for a in accounts)
    # §9 rule 3: verifying moves the problem to Anti-Spoofing and DMARC; it does not remove it.
    moves = (
        " (for mail to your own colleagues that brings in Anti-Spoofing and DMARC instead)"
        if colleagues
        else ""
    )
    return (
        f"{sender.from_addresses[0].address} is every {name} customer's From address: "
        f"permitting it lets all their mail{forged} in. Narrow Applies To to a profile group "
        "of the people who get these invitations if you can; a verified address or your own "
        f"sending domain gives policies that name you alone{moves}.",
    )


def _normalised(raw: tuple[str, ...]) -> tuple[WhitelistAddress, ...]:
    out: list[WhitelistAddress] = []
    for address in raw:
        if not address.strip():
            continue
        try:
            item = normalise_address(address)
        except InvalidAddress:
            # Callers validate; the generator still never fails on what it is given.
            text = address.strip()
            if "@" in text:
                local, _, domain = text.rpartition("@")
                text = f"{local}@{domain.lower()}"
            item = WhitelistAddress(text, text)
        if item.address.lower() not in {a.address.lower() for a in out}:
            out.append(item)
    return tuple(out)


def _shown(domain: str) -> str:
    """An IDN domain as typed (ASCII) with the Unicode form beside it, as for addresses."""
    try:
        unicode_form = normalise_domain(domain)[1]
    except InvalidAddress:
        return domain
    return domain if unicode_form == domain else f"{domain} ({unicode_form})"


def _domains(account: RecipientAccount) -> tuple[str, ...]:
    out: list[str] = []
    for domain in account.domains:
        try:
            ascii_form = normalise_domain(domain)[0]
        except InvalidAddress:
            ascii_form = domain.strip().rstrip(".").lower()
        if ascii_form and ascii_form not in out:
            out.append(ascii_form)
    return tuple(out)


def _numbered(steps: list[Step]) -> tuple[Step, ...]:
    """Stable keys within the account: permitted_senders-1, permitted_senders-2, verify-1 …"""
    counts: dict[str, int] = {}
    numbered = []
    for item in steps:
        counts[item.policy.value] = counts.get(item.policy.value, 0) + 1
        key = f"{item.policy.value}-{counts[item.policy.value]}"
        numbered.append(replace(item, key=key))
    return tuple(numbered)
