"""The generator's vocabulary: frozen dataclasses in, a `Plan` out.

Nothing here touches the database, the network or Django: the wizard, the API, the CLI and the
support console each build a `PlanRequest` from what they have, call
`apps.policies.generator.build_plan`, and hand the `Plan` to a renderer (HTML, PDF, text, JSON),
which never decides anything again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Mode(StrEnum):
    """How the platform's mail looks to recipients (docs/api.md, "Request")."""

    UNVERIFIED_ADDRESS = "unverified_address"
    VERIFIED_ADDRESS = "verified_address"
    SENDING_DOMAIN = "sending_domain"


class Basis(StrEnum):
    """What the Mimecast policies match on (§9 rule 7)."""

    ADDRESS = "address"
    IP = "ip"
    ADDRESS_AND_IP = "address_and_ip"


class PolicyId(StrEnum):
    PERMITTED_SENDERS = "permitted_senders"
    ANTI_SPOOFING_BYPASS = "anti_spoofing_bypass"
    ANTI_SPOOFING_SPF_BYPASS = "anti_spoofing_spf_bypass"
    IMPERSONATION_BYPASS = "impersonation_bypass"
    GREYLISTING_BYPASS = "greylisting_bypass"
    URL_PROTECTION_BYPASS = "url_protection_bypass"
    ALLOW_RULE = "allow_rule"  # Mimecast Email Security – API (§10)
    VERIFY = "verify"
    # Microsoft 365 (other-gateways §2, §13.1)
    M365_SENDER_ALLOW = "m365_sender_allow"
    M365_MAIL_FLOW_RULE = "m365_mail_flow_rule"
    M365_SPOOFED_SENDER_ALLOW = "m365_spoofed_sender_allow"
    M365_TRUSTED_SENDER = "m365_trusted_sender"
    M365_ENHANCED_FILTERING = "m365_enhanced_filtering"
    M365_MESSAGE_TRACE = "m365_message_trace"
    # Google Workspace (other-gateways §3, §13.2)
    GOOGLE_APPROVED_SENDERS = "google_approved_senders"
    GOOGLE_IP_ALLOWLIST = "google_ip_allowlist"
    GOOGLE_INBOUND_GATEWAY = "google_inbound_gateway"
    GOOGLE_EMAIL_LOG_SEARCH = "google_email_log_search"
    # Every other gateway (other-gateways §4–§11): its allow entry, rate control, its check
    GATEWAY_ALLOW = "gateway_allow"
    GATEWAY_RATE_EXEMPTION = "gateway_rate_exemption"
    GATEWAY_CHECK = "gateway_check"


# --- Input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlatformInfo:
    """The sending platform's facts (apps.sending.PlatformFacts), as plain values."""

    name: str
    shared_address: str
    spf_include: str
    server_hostnames: tuple[str, ...] = ()
    bounce_address: str = ""  # "" = unknown or varies per message
    # The domain of the envelope sender (Return-Path) the platform uses; "" = not recorded yet.
    envelope_domain: str = ""
    dkim_selectors: tuple[str, ...] = ()
    version: str = ""  # identifies the facts record the plan was built from
    updated_at: datetime | None = None


@dataclass(frozen=True)
class PlatformIPs:
    """The platform's current source IP ranges (CIDR), from DNS, with when they were resolved."""

    ranges: tuple[str, ...] = ()
    resolved_at: datetime | None = None
    stale: bool = False  # True when DNS failed and these come from the last good snapshot


@dataclass(frozen=True)
class SendingIdentity:
    mode: Mode
    # unverified_address: ignored (the platform's shared address is the From);
    # verified_address: the verified address(es); sending_domain: addresses at their domain.
    from_addresses: tuple[str, ...] = ()
    display_name: str = ""
    # The customer's own address. In unverified_address mode it is shown as the display name.
    customer_address: str = ""
    # sending_domain only: permit the whole domain (Applies From = Email Domain), not each address.
    permit_whole_domain: bool = False
    # The mail carries per-recipient (unique or single-use) links, as survey invitations do.
    unique_links: bool = True


@dataclass(frozen=True)
class GatewayInfo:
    """Which gateway protects a recipient organisation's domains, and how we know."""

    name: str | None = None  # "mimecast", "microsoft365", … ; None = unknown (detection failed)
    region: str | None = None  # Mimecast region code: eu, de, us, usb, ca, au, za, je
    evidence: tuple[str, ...] = ()  # MX hosts, lowest preference first
    detail: str = ""  # plain-language status, e.g. "couldn't check: the DNS server didn't answer"
    also_seen: tuple[str, ...] = ()  # other providers behind it, e.g. ("microsoft365",)
    forced: bool = False  # chosen by the user rather than detected
    # False when DNS says no domain of the account takes mail (null MX, no such domain, a typo):
    # then there is no gateway to give steps for.
    receives_mail: bool = True


@dataclass(frozen=True)
class RecipientAccount:
    organisation: str
    domains: tuple[str, ...]
    gateway: GatewayInfo = field(default_factory=GatewayInfo)
    bulk: bool = False  # bulk or time-sensitive sends: greylisting delays matter
    ref: str = ""  # the caller's stable id for this account (e.g. for an IT checklist)


@dataclass(frozen=True)
class SendingDomainFacts:
    """What DNS says about the customer's own sending domain (sending_domain mode)."""

    domain: str
    spf_authorises_platform: bool | None = None  # None = couldn't check; no SPF record = False
    spf_record: str = ""
    # ok / warning / missing / invalid / unknown (apps.dnscheck.status words each one)
    spf_status: str = ""
    dmarc_policy: str = ""  # none / quarantine / reject; "" = no record or unknown
    dkim_selectors_found: tuple[str, ...] = ()
    # The envelope (Return-Path) domain is the customer's, so SPF can align (DMARC, §5).
    envelope_aligned: bool = False


@dataclass(frozen=True)
class PlanRequest:
    platform: PlatformInfo
    sending: SendingIdentity
    recipients: tuple[RecipientAccount, ...]
    basis: Basis = Basis.ADDRESS
    platform_ips: PlatformIPs = field(default_factory=PlatformIPs)
    sending_domain_facts: SendingDomainFacts | None = None
    generated_at: datetime | None = None


# --- Output ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One form field as the Mimecast form names it, and the value to choose or type."""

    field: str
    value: str
    # The value is inferred rather than documented (shown with ‡; the plan's `inferred` says why).
    inferred: bool = False


@dataclass(frozen=True)
class ConsolePath:
    current: str  # Policies → Gateway Policies → …
    legacy: str  # Administration → Gateway → Policies → …


@dataclass(frozen=True)
class Step:
    key: str  # stable within its account, e.g. "permitted_senders-1": for checklists
    policy: PolicyId
    title: str
    path: ConsolePath
    settings: tuple[Setting, ...]
    why: str  # the step's purpose, in one line
    notes: tuple[str, ...] = ()  # what only this step needs said; shared caveats are the plan's
    optional: bool = False  # worth doing in some accounts, with a cost the why names
    blocked: str = ""  # what is missing before the step can be saved, and how to get it
    help_url: str = ""  # the gateway vendor's own article on this policy type


@dataclass(frozen=True)
class WhitelistAddress:
    address: str  # ASCII form (IDN domain as punycode), as typed into Mimecast
    display: str  # Unicode form, as a person reads it (equal to address when plain ASCII)


@dataclass(frozen=True)
class GatewaySummary:
    name: str | None
    label: str  # "Mimecast", "Microsoft 365", "Unknown"
    region: str | None
    region_label: str  # "Europe", "" when not applicable
    console_url: str  # "" when not Mimecast
    evidence: tuple[str, ...]
    detail: str
    mimecast_steps_apply: bool
    # Mimecast Email Security – API (MX stays at Microsoft 365): Allow Rules, no gateway policies.
    mimecast_api: bool = False


@dataclass(frozen=True)
class AccountPlan:
    ref: str
    organisation: str
    domains: tuple[str, ...]
    gateway: GatewaySummary
    whitelist_addresses: tuple[WhitelistAddress, ...]
    steps: tuple[Step, ...]
    warnings: tuple[str, ...]
    ip_ranges: tuple[str, ...] = ()  # the ranges the steps use
    summary: str = ""  # one paragraph: what this account's IT must do and why
    # Said before everything else: problems no policy in this account can fix (e.g. DMARC).
    blockers: tuple[str, ...] = ()
    # What a document for this account alone says once (the plan's hold every account's).
    caveats: tuple[str, ...] = ()
    inferred: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlatformSummary:
    name: str
    shared_address: str
    spf_include: str
    server_hostnames: tuple[str, ...]
    version: str
    ip_ranges: tuple[str, ...]
    ips_resolved_at: datetime | None
    ips_stale: bool


@dataclass(frozen=True)
class Plan:
    accounts: tuple[AccountPlan, ...]
    platform: PlatformSummary
    basis: Basis
    mode: Mode
    generated_at: datetime
    warnings: tuple[str, ...] = ()  # plan-wide, e.g. the shared-address warning
    basis_note: str = ""  # the basis asked for and the one used, in one sentence
    caveats: tuple[str, ...] = ()  # each said once per document, not in every step
    inferred: tuple[str, ...] = ()  # why each ‡ value is inferred, once per document
