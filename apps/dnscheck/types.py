"""What the DNS checks answer, as plain values with a plain-language status (see facade.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from apps.policies.types import SendingDomainFacts
from apps.policies.wording import CANNOT_RECEIVE_STATUSES, Badge, domain_badge


class DomainStatus(StrEnum):
    GATEWAY = "gateway"  # a gateway or mailbox provider we know
    UNKNOWN = "unknown"  # MX hosts we don't recognise
    NO_MX = "no_mx"  # no MX: mail goes to the domain's own address (RFC 5321 §5.1)
    NULL_MX = "null_mx"  # "MX 0 ." : the domain accepts no mail (RFC 7505)
    NO_MAIL = "no_mail"  # neither MX nor address records
    NOT_FOUND = "not_found"  # the domain does not exist
    TYPO = "typo"  # a well-known misspelling (gmial.com, example.con): never looked up
    INVALID = "invalid"  # not a domain name
    ERROR = "error"  # couldn't check (timeout, SERVFAIL, …)


# Answers that say the domain takes no mail at all: it gets no gateway steps (the list is the
# badge's, apps.policies.wording, so the words and the verdict cannot part).
CANNOT_RECEIVE = frozenset(DomainStatus(status) for status in CANNOT_RECEIVE_STATUSES)


@dataclass(frozen=True)
class DomainCheck:
    """One recipient domain's gateway, e.g. for a badge next to the domain in the wizard."""

    domain: str  # ASCII (punycode) form, lower case
    display_domain: str  # as a person reads it (Unicode)
    status: DomainStatus
    gateway: str | None = None  # provider id: mimecast, microsoft365, …
    region: str | None = None  # Mimecast region code
    region_label: str = ""  # "Europe"
    console: str = ""  # Mimecast admin console host, "" when unknown or not Mimecast
    evidence: tuple[str, ...] = ()  # MX hosts, lowest preference first
    also_seen: tuple[str, ...] = ()  # other providers among the MX hosts
    message: str = ""  # one plain-language sentence
    dns_status: str = ""  # the resolver status of the deciding lookup (ok, timeout, …)

    def worded(self) -> Badge:
        """The badge beside the domain (apps.policies.wording): "Mimecast · Europe"."""
        return domain_badge(
            status=self.status, gateway=self.gateway, region=self.region, failure=self.dns_status
        )

    @property
    def badge(self) -> str:
        """Short: "Mimecast · Europe", "couldn't check (timeout)"."""
        return self.worded().text

    @property
    def is_mimecast(self) -> bool:
        return self.gateway == "mimecast"

    @property
    def cannot_receive(self) -> bool:
        """DNS (or the spelling) says no mail can be delivered to this domain."""
        return self.status in CANNOT_RECEIVE


class CheckStatus(StrEnum):
    OK = "ok"  # present and does what the platform needs
    WARNING = "warning"  # present, but with a problem worth fixing
    MISSING = "missing"  # not published
    INVALID = "invalid"  # published but broken (syntax, several records, over the limits)
    UNKNOWN = "unknown"  # couldn't check


@dataclass(frozen=True)
class RecordCheck:
    """One of SPF / DMARC / DKIM for a sending domain."""

    status: CheckStatus
    message: str  # plain language: what we found and what it means
    record: str = ""  # the record text, as published
    location: str = ""  # the name it was found at, e.g. "_dmarc.example.com"
    missing: tuple[str, ...] = ()  # what to add, e.g. ("include:spf.ssmx.net",)
    notes: tuple[str, ...] = ()  # further findings (warnings from the checks)


@dataclass(frozen=True)
class SendingDomainReport:
    domain: str  # ASCII form
    display_domain: str
    spf: RecordCheck
    dmarc: RecordCheck
    dkim: RecordCheck
    spf_authorises_platform: bool | None = None  # None = unknown
    spf_dns_lookups: int | None = None  # RFC 7208 §4.6.4 terms counted (limit 10)
    spf_void_lookups: int | None = None  # (limit 2)
    dmarc_policy: str = ""  # none / quarantine / reject (the one that applies to this domain)
    dkim_selectors_found: tuple[str, ...] = ()

    @property
    def facts(self) -> SendingDomainFacts:
        authorises = self.spf_authorises_platform
        if authorises is None and self.spf.status.value in ("missing", "invalid"):
            authorises = False  # no usable record authorises nobody (older reports said None)
        return SendingDomainFacts(
            domain=self.domain,
            spf_authorises_platform=authorises,
            spf_record=self.spf.record,
            spf_status=self.spf.status.value,
            dmarc_policy=self.dmarc_policy,
            dkim_selectors_found=self.dkim_selectors_found,
        )
