"""Domain names as people type them and as DNS wants them."""

from __future__ import annotations

import idna
from publicsuffixlist import PublicSuffixList


class InvalidDomain(ValueError):
    pass


def to_ascii(domain: str) -> str:
    """'Bücher.Example.' → 'xn--bcher-kva.example' (IDNA 2008 with UTS #46 mapping, so upper
    case and full-width dots are accepted as people type them). Raises InvalidDomain."""
    text = domain.strip().rstrip(".").rstrip("。．｡")
    if not text or "@" in text or " " in text:
        raise InvalidDomain(f"{domain!r} is not a domain name")
    try:
        ascii_name = idna.encode(text, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as error:
        raise InvalidDomain(f"{domain!r} is not a valid domain name ({error})") from error
    if "." not in ascii_name or len(ascii_name) > 253:
        raise InvalidDomain(f"{domain!r} is not a valid domain name")
    return ascii_name.lower()


def to_display(domain: str) -> str:
    """'xn--bcher-kva.example' → 'bücher.example' (unchanged when it cannot be decoded)."""
    name = domain.rstrip(".").lower()
    try:
        return idna.decode(name)
    except (idna.IDNAError, UnicodeError):
        return name


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
