"""What customers type, as stored: email addresses and domain names, with form-ready errors.

The rules themselves live in `apps.policies.addresses`, the one module the API and the DNS
helpers use too (ASCII mailbox names, lower-cased; IDNA 2008 domains as lower-case A-labels
without a trailing dot; IP addresses refused; a pasted `@domain`, web or email address read as
its domain). This module only turns its `InvalidAddress` into a `ValidationError` for forms and
services, and splits what people type into entries.
"""

import re

from django.core.exceptions import ValidationError

from apps.policies.addresses import InvalidAddress, display_domain, normalise_address
from apps.policies.addresses import normalise_domain as _domain_forms


def normalise_email(value: str) -> str:
    """`Luke@Example.COM` → `luke@example.com`; IDN domains become A-labels.

    Raises ValidationError with a plain-language message when the address is not valid.
    """
    if not (value or "").strip():
        raise ValidationError("Enter an email address.", code="required")
    try:
        return normalise_address(value).address
    except InvalidAddress as error:
        raise ValidationError(str(error), code="invalid") from None


def normalise_domain(value: str) -> str:
    """`Bücher.Example.` → `xn--bcher-kva.example` (IDNA 2008, lower-case, no trailing dot);
    a pasted web address or email address gives its domain."""
    if not (value or "").strip().lstrip("@").rstrip("."):
        raise ValidationError("Enter a domain name.", code="required")
    try:
        return _domain_forms(value)[0]
    except InvalidAddress as error:
        raise ValidationError(str(error), code="invalid") from None


def domain_display(ascii_domain: str) -> str:
    """The Unicode form of an A-label domain, for people to read."""
    return display_domain(ascii_domain)


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
