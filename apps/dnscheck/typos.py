"""Obvious misspellings of a recipient domain, caught before any lookup.

A typo like `gmial.com` or `example.con` usually does not exist (or belongs to a squatter), so
the customer hears "check the spelling" at once instead of getting steps for a domain nobody
receives mail at. Only misspellings no real organisation uses are listed.
"""

from __future__ import annotations

# Mailbox providers' domains as people mistype them.
PROVIDERS = {
    "gmial.com": "gmail.com",
    "gmai.com": "gmail.com",
    "gamil.com": "gmail.com",
    "gnail.com": "gmail.com",
    "gmaill.com": "gmail.com",
    "hotmial.com": "hotmail.com",
    "hotmal.com": "hotmail.com",
    "outlok.com": "outlook.com",
    "outllok.com": "outlook.com",
    "yaho.com": "yahoo.com",
    "yahooo.com": "yahoo.com",
    "iclod.com": "icloud.com",
}

# Top-level domains as people mistype them: none of these exists.
TLDS = {
    "con": "com",
    "cmo": "com",
    "ocm": "com",
    "vom": "com",
    "xom": "com",
    "cpm": "com",
    "comm": "com",
    "coom": "com",
    "nte": "net",
    "nett": "net",
    "ogr": "org",
    "orgg": "org",
}


def suggestion(domain: str) -> str | None:
    """What `domain` (ASCII, lower case) was probably meant to be, or None when it is not a
    known misspelling: `gmial.com` → `gmail.com`, `example.con` → `example.com`."""
    name = domain.rstrip(".").lower()
    if name in PROVIDERS:
        return PROVIDERS[name]
    head, _, tld = name.rpartition(".")
    if head and tld in TLDS:
        return f"{head}.{TLDS[tld]}"
    return None
