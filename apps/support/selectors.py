"""Reads for the support console: finding profiles fast, and what staff see on one.

Search runs one indexed lookup per field and combines the matching ids, so no lookup ever
multiplies rows through a join and every lookup can use an index:

- organisation, contact name, contact email, account reference: prefix of the lower-cased value,
  as a range on the `Lower()` indexes of CustomerProfile (a range works on SQLite and on
  PostgreSQL whatever the collation's LIKE support);
- recipient domain, sending domain, From address: exact match on their indexes;
- only when none of those finds anything, organisation or contact name *containing* the text
  (trigram indexes on PostgreSQL, migration 0002; a scan on SQLite).
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from apps.customers.models import (
    CustomerProfile,
    RecipientDomain,
    SenderAddress,
)
from apps.customers.selectors import is_complete, profiles_affected_by_ip_change
from apps.customers.validation import normalise_domain, normalise_email
from apps.policies import gateways
from apps.sending.models import PlatformIPSnapshot

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _GatewayLabels(TypedDict):
        gateway_labels: list[str]
        complete: bool

    # A search result: the profile with its gateways' names set on it by `search_page`.
    LabelledProfile = WithAnnotations[CustomerProfile, _GatewayLabels]

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 25
# Sorts after every character a profile's text can hold: the top of a prefix range.
_TOP = "\U0010ffff"
_SPACES = re.compile(r"\s+")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def normalise_query(raw: str | None) -> str:
    """The text staff typed, trimmed, with runs of spaces folded and capped at 200 characters."""
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc" or ch in "\t\n")
    return _SPACES.sub(" ", text).strip()[:MAX_QUERY_LENGTH]


def domain_form(text: str) -> str | None:
    """`text` as a stored domain (what `normalise_domain` stores), or None if it isn't one.

    >>> domain_form("Bücher.Example.")
    'xn--bcher-kva.example'

    A search for an address or a web address is not a search for its whole domain (the domain
    boxes of the wizard take the domain out of those; a search must not widen that way).
    """
    if "@" in text or "://" in text:
        return None
    try:
        return normalise_domain(text)
    except ValidationError:
        return None


def address_form(text: str) -> str | None:
    """`text` as a stored From address (what `normalise_email` stores), or None."""
    try:
        return normalise_email(text)
    except ValidationError:
        return None


def _lookups(query: str) -> list[tuple[QuerySet[Any], str]]:
    """Each indexed lookup, with the path from its rows to the profile."""
    lookups: list[tuple[QuerySet[Any], str]] = []
    # PostgreSQL lower-cases every letter, SQLite only ASCII ones: try both forms when they differ.
    for lowered in dict.fromkeys([query.lower(), _ascii_lower(query)]):
        for column in ("organisation", "contact_name", "contact_email", "account_reference"):
            # A prefix as a range, so the `Lower()` index serves it whatever the collation.
            alias = f"{column}_lower"
            rows = CustomerProfile.objects.alias(**{alias: Lower(column)}).filter(
                **{f"{alias}__gte": lowered, f"{alias}__lt": lowered + _TOP}
            )
            lookups.append((rows, ""))
    if domain := domain_form(query):
        lookups.append((RecipientDomain.objects.filter(domain=domain), "account__profile__"))
        lookups.append((SenderAddress.objects.filter(domain=domain), "profile__"))
    if address := address_form(query):
        lookups.append((SenderAddress.objects.filter(address=address), "profile__"))
    return lookups


def _ascii_lower(text: str) -> str:
    """Lower-case as SQLite's LOWER() does: ASCII letters only."""
    return text.translate(_ASCII_LOWER)


def _matches(query: str, *columns: str) -> QuerySet[Any]:
    """`columns` ("id", "updated_at") of every profile an indexed lookup finds, each once."""
    parts = [
        rows.order_by().values_list(*(f"{path}{column}" for column in columns))
        for rows, path in _lookups(query)
    ]
    first, *rest = parts
    return first.union(*rest)


class _RankedMatches:
    """The indexed matches as the Paginator sees them: counted and ordered on the UNION of ids
    alone, and only the page's 25 profiles fetched (no join of every match with the profiles)."""

    def __init__(self, query: str) -> None:
        self.rows = _matches(query, "id", "updated_at").order_by("-updated_at", "-id")

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[CustomerProfile]:
        ids = [pk for pk, _ in self.rows[index]]
        found = CustomerProfile.objects.prefetch_related("recipient_accounts__domains").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def _containing(text: str) -> QuerySet[CustomerProfile]:
    # Trigram indexes serve this on PostgreSQL (migration 0002); elsewhere it scans.
    return CustomerProfile.objects.filter(
        Q(organisation__icontains=text) | Q(contact_name__icontains=text)
    ).order_by("-updated_at", "-pk")


def search_page(query: str, page_number: str | int | None) -> Page:
    """One page (25) of the profiles matching what staff typed in the one search box, most
    recently changed first, each with its `gateway_labels` and whether it is `complete`; a bad
    or out-of-range page number gives the nearest page.

    Matches organisation, contact name and email, account reference (each by prefix, any case),
    any recipient or sending domain and any From address (exactly, IDN in either form). When
    nothing matches that way, organisation or contact name containing the text.
    """
    text = normalise_query(query)
    paginator = Paginator(CustomerProfile.objects.none(), PAGE_SIZE)
    if text:
        # Counted first: no separate existence check.
        paginator = Paginator(_RankedMatches(text), PAGE_SIZE)  # type: ignore[arg-type]
        if paginator.count == 0:
            related = "recipient_accounts__domains"
            paginator = Paginator(_containing(text).prefetch_related(related), PAGE_SIZE)
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    for profile in page.object_list:
        labelled = cast("LabelledProfile", profile)
        labelled.gateway_labels = gateway_labels(profile)
        labelled.complete = is_complete(profile)
    return page


def gateway_labels(profile: CustomerProfile) -> list[str]:
    """The distinct gateways detected for the profile's recipient domains, by name."""
    names = {
        domain.gateway
        for account in profile.recipient_accounts.all()
        for domain in account.domains.all()
        if domain.gateway
    }
    return sorted(gateways.label(name) for name in names)


@dataclass(frozen=True)
class IPChange:
    """The latest change to the platform's IP ranges and the profiles it leaves out of date."""

    latest: PlatformIPSnapshot | None
    previous: PlatformIPSnapshot | None
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    profiles: list[CustomerProfile] = field(default_factory=list)


def ip_change() -> IPChange:
    """Compare the latest two IP snapshots; profiles whose last shown instructions used a removed
    range (or, matching on IPs, lack an added one) are affected."""
    snapshots = PlatformIPSnapshot.objects.filter(facts__is_active=True)
    latest, previous, *_ = [*snapshots.order_by("-resolved_at", "-id")[:2], None, None]
    if latest is None or previous is None:
        return IPChange(latest=latest, previous=previous)
    removed = set(previous.ranges) - set(latest.ranges)
    added = set(latest.ranges) - set(previous.ranges)
    profiles = profiles_affected_by_ip_change(removed=removed, added=added)
    profiles.sort(key=lambda p: (p.organisation.lower(), p.pk))
    return IPChange(
        latest=latest,
        previous=previous,
        removed=tuple(sorted(removed)),
        added=tuple(sorted(added)),
        profiles=profiles,
    )
