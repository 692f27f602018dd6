"""Domain names as people type them and as DNS wants them. The rule is
`apps.policies.addresses`' (the one the wizard and the API use): these helpers only give it the
DNS side's names and error type."""

from __future__ import annotations

from publicsuffixlist import PublicSuffixList

from apps.policies.addresses import InvalidAddress, display_domain, normalise_domain


class InvalidDomain(ValueError):
    pass


def to_ascii(domain: str) -> str:
    """'Bücher.Example.' → 'xn--bcher-kva.example' (lower-case A-labels, no trailing dot), by
    the one domain rule. Raises InvalidDomain."""
    try:
        return normalise_domain(domain)[0]
    except InvalidAddress as error:
        raise InvalidDomain(str(error)) from None


def to_display(domain: str) -> str:
    """'xn--bcher-kva.example' → 'bücher.example' (unchanged when it cannot be decoded)."""
    return display_domain(domain)


def host_in(host: str, suffix: str) -> bool:
    """True when `host` is `suffix` or a name below it: a dot boundary, never a substring
    ('smtp.evilmimecast.com' is not in 'mimecast.com')."""
    host = host.rstrip(".").lower()
    suffix = suffix.rstrip(".").lower()
    return host == suffix or host.endswith("." + suffix)


_psl: PublicSuffixList | None = None


def organisational_domain(domain: str) -> str:
    """The registrable ("organisational", RFC 7489 §3.2) domain: 'mail.example.co.uk' →
    'example.co.uk'. The name itself when the list has no better answer."""
    global _psl
    if _psl is None:
        _psl = PublicSuffixList()
    return _psl.privatesuffix(domain.lower()) or domain.lower()
