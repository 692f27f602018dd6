"""The one rule for email addresses and domain names, wherever they come from: the wizard's
forms and services (apps.customers.validation), the JSON API (api_input) and the DNS name
helpers (apps.dnscheck.names) all ask this module, so an input gets the same verdict and the
same stored form everywhere.

The rule, from what the admin at the other end types into their gateway:

- **Domains** may be internationalised: converted with IDNA 2008 (UTS #46 mapping, so upper
  case and full-width dots are read as people type them) to lower-case A-labels, the form
  Mimecast's console and DNS both take; the Unicode form is kept beside it for people to read.
  At least two labels, letters/digits/hyphens only, at most 253 characters, no trailing dot.
  An IP address (`192.0.2.1`, `[192.0.2.1]`, `::1`) is not a domain. What people paste into a
  domain box is forgiven: a leading `@`, a web address (`https://example.com/x` → example.com)
  or an email address (`someone@example.com` → example.com).
- **Addresses**: Mimecast's console takes mailbox names in ASCII, so a mailbox name with any
  other character (`jürgen@…`, `😀@…`, which would need SMTPUTF8 at every hop) is refused with
  a message saying so; the domain follows the domain rule (an IP literal is refused). Mailbox
  names are lower-cased: gateways compare them without case, and one spelling lets repeats be
  found. No quoted mailbox names; at most 254 characters in all (64 before the @).

Pure: no Django, no other app (the policy engine uses it).
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

import idna
from email_validator import EmailNotValidError, validate_email

from apps.policies.types import WhitelistAddress

MAX_DOMAIN_LENGTH = 253
MAX_ADDRESS_LENGTH = 254
MAX_LOCAL_LENGTH = 64
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TRAILING_DOTS = ".。．｡"  # the ASCII dot and the full stops UTS #46 reads as one
# Anything that looks like an address inside free text such as a display name.
_ADDRESS_IN_TEXT = re.compile(r"[^\s<>\"'(),;:@\[\]]+@[^\s<>\"'(),;:@\[\]]+")


class InvalidAddress(ValueError):
    """Raised with a message a customer can act on."""


def _pasted_domain(text: str) -> str:
    """The domain in what people paste into a domain box: `https://example.com/path`,
    `someone@example.com` and `@example.com` all mean example.com."""
    if "://" in text:
        return urlsplit(text).hostname or ""
    local, at, domain = text.rpartition("@")
    if at and "@" not in local and domain:
        return domain
    return text


def _is_ip_literal(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return text.rpartition(".")[2].isdigit()  # 1.2.3.4 spelt oddly, or a numeric TLD
    return True


@lru_cache(maxsize=4096)
def normalise_domain(raw: str) -> tuple[str, str]:
    """`(ascii, unicode)` forms of a domain name, or `InvalidAddress`.

    >>> normalise_domain("Bücher.DE.")
    ('xn--bcher-kva.de', 'bücher.de')
    >>> normalise_domain("https://www.Example.com/contact")
    ('www.example.com', 'www.example.com')
    """
    typed = (raw or "").strip()
    if len(typed) > MAX_DOMAIN_LENGTH * 4:
        raise InvalidAddress("This domain name is too long.")
    text = _pasted_domain(typed).rstrip(_TRAILING_DOTS)
    if not text:
        raise InvalidAddress("Enter a domain name, e.g. example.com.")
    if _is_ip_literal(text):
        raise InvalidAddress(f"“{text}” looks like an IP address, not a domain.")
    if any(c.isspace() for c in text) or any(c in text for c in "@/[]:\\"):
        raise InvalidAddress(f"“{text}” is not a domain name (like example.com).")
    try:
        ascii_form = idna.encode(text, uts46=True).decode("ascii").lower()
        unicode_form = idna.decode(ascii_form)
    except (idna.IDNAError, UnicodeError, ValueError):
        raise InvalidAddress(f"“{text}” is not a valid domain name (like example.com).") from None
    labels = ascii_form.split(".")
    if len(ascii_form) > MAX_DOMAIN_LENGTH:
        raise InvalidAddress(f"“{text}” is too long for a domain name.")
    if len(labels) < 2:
        raise InvalidAddress(f"“{text}” is not a full domain name (like example.com).")
    if not all(_LABEL.match(label) for label in labels) or _is_ip_literal(ascii_form):
        raise InvalidAddress(f"“{text}” is not a valid domain name (like example.com).")
    return ascii_form, unicode_form


def display_domain(ascii_domain: str) -> str:
    """The Unicode form of an A-label domain for people to read (as given when it is not one)."""
    try:
        return normalise_domain(ascii_domain)[1]
    except InvalidAddress:
        return ascii_domain.rstrip(".").lower()


@lru_cache(maxsize=4096)
def normalise_address(raw: str) -> WhitelistAddress:
    """The address as typed into Mimecast (ASCII domain) and as read (Unicode domain).

    >>> normalise_address(" Luke@Bücher.Example ")
    WhitelistAddress(address='luke@xn--bcher-kva.example', display='luke@bücher.example')
    """
    text = (raw or "").strip().rstrip(_TRAILING_DOTS)  # a trailing dot, as on a domain
    if not text:
        raise InvalidAddress("Enter an email address, e.g. surveys@example.com.")
    if len(text) > MAX_ADDRESS_LENGTH * 2:
        raise InvalidAddress("This email address is too long.")
    try:
        checked = validate_email(
            text, check_deliverability=False, allow_smtputf8=True, test_environment=True
        )
    except EmailNotValidError as error:
        raise InvalidAddress(f"“{text}” is not a valid email address: {error}") from None
    local = checked.local_part
    if len(local) > MAX_LOCAL_LENGTH:  # RFC 5321 §4.5.3.1.1 (email-validator lets it pass)
        raise InvalidAddress(
            f"“{text}” is not a valid email address: at most {MAX_LOCAL_LENGTH} characters "
            "before the @."
        )
    if not local.isascii():
        raise InvalidAddress(
            f"“{text}” is not a valid email address: use only ASCII letters, digits and "
            "punctuation before the @ (gateways such as Mimecast take no others)."
        )
    try:
        ascii_domain, unicode_domain = normalise_domain(checked.ascii_domain or checked.domain)
    except InvalidAddress as error:
        raise InvalidAddress(f"“{text}” is not a valid email address: {error}") from None
    address = f"{local.lower()}@{ascii_domain}"
    if len(address) > MAX_ADDRESS_LENGTH:
        raise InvalidAddress(f"“{text}” is too long for an email address.")
    return WhitelistAddress(address=address, display=f"{local.lower()}@{unicode_domain}")


def domain_of(address: str) -> str:
    """The ASCII domain of an already normalised address."""
    return address.rpartition("@")[2].lower()


def addresses_in_text(text: str) -> tuple[WhitelistAddress, ...]:
    """Valid addresses written inside free text (e.g. a display name), normalised, in order."""
    found: list[WhitelistAddress] = []
    for match in _ADDRESS_IN_TEXT.findall(text or ""):
        try:
            address = normalise_address(match.strip(".,"))
        except InvalidAddress:
            continue
        if address not in found:
            found.append(address)
    return tuple(found)


def domains_named_in_text(text: str, domains: tuple[str, ...]) -> tuple[str, ...]:
    """Which of `domains` (ASCII) are written in `text`, as ASCII or Unicode, as whole words."""
    lowered = (text or "").lower()
    if not lowered:
        return ()
    named: list[str] = []
    for domain in domains:
        try:
            forms = set(normalise_domain(domain))
        except InvalidAddress:
            forms = {domain}
        for form in forms:
            pattern = rf"(?<![\w.-]){re.escape(form)}(?![\w-]|\.[\w-])"
            if re.search(pattern, lowered):
                named.append(domain)
                break
    return tuple(named)
