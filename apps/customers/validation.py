"""Normalising and validating what customers type: email addresses and domain names.

Addresses go through email-validator (syntax only: a customer's survey address need not accept
mail for us to plan policies for it); domains through IDNA 2008 (`idna`), stored as lower-case
A-labels without a trailing dot, the form Mimecast's console and DNS both take.
"""

import re

import idna
from django.core.exceptions import ValidationError
from email_validator import EmailNotValidError, validate_email

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalise_email(value: str) -> str:
    """`Luke@Example.COM` → `luke@example.com`; IDN domains become A-labels.

    Raises ValidationError with a plain-language message when the address is not valid.
    """
    text = (value or "").strip()
    if not text:
        raise ValidationError("Enter an email address.", code="required")
    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise ValidationError(
            f"“{text}” is not a valid email address: {error}", code="invalid"
        ) from None
    local = result.local_part
    domain = normalise_domain(result.ascii_domain or result.domain)
    # Mailbox names are case-insensitive at every gateway in practice; policies match that way.
    return f"{local.lower()}@{domain}"


def normalise_domain(value: str) -> str:
    """`Bücher.Example.` → `xn--bcher-kva.example` (IDNA 2008, lower-case, no trailing dot)."""
    text = (value or "").strip().rstrip(".").lower()
    if text.startswith("@"):
        text = text[1:]
    if not text:
        raise ValidationError("Enter a domain name.", code="required")
    if "@" in text or "/" in text or " " in text:
        raise ValidationError(
            f"“{value.strip()}” is not a domain name (like example.com).", code="invalid"
        )
    try:
        ascii_domain = idna.encode(text, uts46=True).decode("ascii").lower()
    except idna.IDNAError as error:
        raise ValidationError(
            f"“{value.strip()}” is not a valid domain name: {error}.", code="invalid"
        ) from None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or len(ascii_domain) > 253 or not all(_LABEL.match(x) for x in labels):
        raise ValidationError(
            f"“{value.strip()}” is not a valid domain name (like example.com).", code="invalid"
        )
    if labels[-1].isdigit():
        raise ValidationError(
            f"“{value.strip()}” looks like an IP address, not a domain.", code="invalid"
        )
    return ascii_domain


def domain_display(ascii_domain: str) -> str:
    """The Unicode form of an A-label domain, for people to read."""
    try:
        return idna.decode(ascii_domain)
    except idna.IDNAError:
        return ascii_domain


def split_list(value: str) -> list[str]:
    """Split what a person typed into a list: commas, semicolons, spaces or new lines."""
    return [part for part in re.split(r"[\s,;]+", value or "") if part]
