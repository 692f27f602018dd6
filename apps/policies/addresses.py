"""Email addresses and domains, normalised the one way Mimecast and people both read them.

Domains are lower-cased and converted with IDNA 2008 (UTS #46 mapping): the ASCII form is what an
admin types into Mimecast, the Unicode form is shown beside it so a person recognises it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import idna
from email_validator import EmailNotValidError, validate_email

from apps.policies.types import WhitelistAddress

MAX_DOMAIN_LENGTH = 253
MAX_ADDRESS_LENGTH = 254
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Anything that looks like an address inside free text such as a display name.
_ADDRESS_IN_TEXT = re.compile(r"[^\s<>\"'(),;:@\[\]]+@[^\s<>\"'(),;:@\[\]]+")


class InvalidAddress(ValueError):
    """Raised with a message a customer can act on."""


@lru_cache(maxsize=4096)
def normalise_domain(raw: str) -> tuple[str, str]:
    """`(ascii, unicode)` forms of a domain name, or `InvalidAddress`.

    >>> normalise_domain("Bücher.DE.")
    ('xn--bcher-kva.de', 'bücher.de')
    """
    text = raw.strip().rstrip(".")
    if not text:
        raise InvalidAddress("Enter a domain name, e.g. example.com.")
    if len(text) > MAX_DOMAIN_LENGTH * 2:
        raise InvalidAddress("This domain name is too long.")
    try:
        ascii_form = idna.encode(text, uts46=True).decode("ascii").lower()
        unicode_form = idna.decode(ascii_form)
    except (idna.IDNAError, UnicodeError, ValueError):
        raise InvalidAddress(f"{text!r} is not a valid domain name.") from None
    labels = ascii_form.split(".")
    if len(labels) < 2 or len(ascii_form) > MAX_DOMAIN_LENGTH:
        raise InvalidAddress(f"{text!r} is not a full domain name (e.g. example.com).")
    if not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InvalidAddress(f"{text!r} is not a valid domain name.")
    return ascii_form, unicode_form


@lru_cache(maxsize=4096)
def normalise_address(raw: str) -> WhitelistAddress:
    """The address as typed into Mimecast (ASCII domain) and as read (Unicode domain).

    The local part is kept as given; the domain is lower-cased and IDNA-converted.
    """
    text = raw.strip()
    if not text:
        raise InvalidAddress("Enter an email address, e.g. surveys@example.com.")
    if len(text) > MAX_ADDRESS_LENGTH * 2:
        raise InvalidAddress("This email address is too long.")
    try:
        checked = validate_email(
            text, check_deliverability=False, allow_smtputf8=True, test_environment=True
        )
    except EmailNotValidError as error:
        raise InvalidAddress(f"{text!r} is not a valid email address: {error}") from None
    ascii_domain, unicode_domain = normalise_domain(checked.ascii_domain or checked.domain)
    local = checked.local_part
    return WhitelistAddress(address=f"{local}@{ascii_domain}", display=f"{local}@{unicode_domain}")


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
