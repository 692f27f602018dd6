"""What customers type, as stored: email addresses and domain names, with form-ready errors.

The rules themselves live in `apps.policies.addresses` (email-validator for syntax, IDNA 2008 for
domains; lower-case A-labels without a trailing dot, the form Mimecast's console and DNS both
take). This module turns its `InvalidAddress` into a `ValidationError` and adds what a stored
answer needs on top: a leading "@" is forgiven, and mailbox names are lower-cased.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from apps.policies.addresses import InvalidAddress, normalise_address
from apps.policies.addresses import normalise_domain as _domain_forms


def normalise_email(value: str) -> str:
    """`Luke@Example.COM` → `luke@example.com`; IDN domains become A-labels.

    Raises ValidationError with a plain-language message when the address is not valid.
    """
    text = (value or "").strip()
    if not text:
        raise ValidationError("Enter an email address.", code="required")
    try:
        address = normalise_address(text).address
    except InvalidAddress as error:
        raise ValidationError(str(error), code="invalid") from None
    local, _, domain = address.rpartition("@")
    # Gateways and Mimecast's console take ASCII mailbox names only (no SMTPUTF8).
    if not local.isascii():
        raise ValidationError(
            f"“{text}” is not a valid email address: use only ASCII letters before the @.",
            code="invalid",
        )
    # Mailbox names are case-insensitive at every gateway in practice; policies match that way.
    return f"{local.lower()}@{domain}"


def _domain_part(text: str) -> str:
    """The domain in what people paste into a domain box: `https://example.com/path` and
    `someone@example.com` both mean example.com."""
    if "://" in text:
        return urlsplit(text).hostname or text
    local, at, domain = text.rpartition("@")
    if at and local and "@" not in local and domain:
        return domain
    return text


def normalise_domain(value: str) -> str:
    """`Bücher.Example.` → `xn--bcher-kva.example` (IDNA 2008, lower-case, no trailing dot);
    a pasted web address or email address gives its domain."""
    text = _domain_part((value or "").strip()).removeprefix("@")
    if not text.rstrip("."):
        raise ValidationError("Enter a domain name.", code="required")
    if "@" in text or "/" in text or " " in text:
        raise ValidationError(f"“{text}” is not a domain name (like example.com).", code="invalid")
    if text.rstrip(".").rpartition(".")[2].isdigit():
        raise ValidationError(f"“{text}” looks like an IP address, not a domain.", code="invalid")
    try:
        ascii_domain, _ = _domain_forms(text)
    except InvalidAddress:
        raise ValidationError(
            f"“{text}” is not a valid domain name (like example.com).", code="invalid"
        ) from None
    return ascii_domain


def domain_display(ascii_domain: str) -> str:
    """The Unicode form of an A-label domain, for people to read."""
    try:
        return _domain_forms(ascii_domain)[1]
    except InvalidAddress:
        return ascii_domain


def split_list(value: str) -> list[str]:
    """Split what a person typed into a list: commas, semicolons, spaces or new lines. A pasted
    `Name <address>` is one entry, its address (not three: "Name", "…", "<address>"), and so is
    a line mixing words and an address (`Survey Team survey@x.com`): one entry, one error."""
    parts: list[str] = []
    for chunk in re.split(r"[\n,;]+", value or ""):
        named = _NAMED_ADDRESS.search(chunk)
        words = chunk.split()
        if named:
            parts.append(named.group(1).strip())
        elif any("@" in word for word in words) and not all("@" in word for word in words):
            # "a b@x.com" is one mistyped address (one clear error), not "a" and "b@x.com".
            parts.append(" ".join(words))
        else:
            parts.extend(words)
    return [part for part in parts if part]


_NAMED_ADDRESS = re.compile(r"<([^<>]+)>")
