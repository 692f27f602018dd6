"""Every recorded change to one profile and what hangs off it, newest first, with field diffs.

The profile, its recipient accounts and their domains, From addresses, share links, checklist
ticks and staff notes each keep a simple_history table; this merges them into one timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.db.models import ForeignObjectRel, Model

from apps.customers.models import (
    ChecklistTick,
    CustomerProfile,
    PlanRecord,
    RecipientAccount,
    RecipientDomain,
    SenderAddress,
    ShareLink,
)
from apps.support.models import StaffNote

MAX_ENTRIES = 200
MAX_VALUE_LENGTH = 300
# Bookkeeping and secrets: never shown as changes.
HIDDEN_FIELDS = frozenset(
    {"id", "token", "ref", "support_ref", "created_at", "updated_at", "position", "revision"}
)
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str  # the staff user's name, or "customer / system" when no one was signed in
    what: str  # "Profile", "Recipient account Acme Ltd", …
    action: str  # created / changed / deleted
    reason: str  # why, when the change recorded it ("Share link revoked", "DNS checked")
    changes: tuple[Change, ...]


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= MAX_VALUE_LENGTH else text[: MAX_VALUE_LENGTH - 1] + "…"


def _label(model: type[Model], field: str) -> str:
    try:
        found = model._meta.get_field(field)
        if isinstance(found, ForeignObjectRel):  # a reverse relation has no label of its own
            return field
        return str(found.verbose_name).capitalize()
    except Exception:  # a field since removed from the model
        return field


def _changes(model: type[Model], record: Any, previous: Any | None) -> tuple[Change, ...]:
    if previous is None:
        if record.history_type == "-":
            return ()
        fields = [f.attname for f in model._meta.concrete_fields]
        return tuple(
            Change(_label(model, name), "—", _shown(getattr(record, name)))
            for name in fields
            if name not in HIDDEN_FIELDS
            and not name.endswith("_id")
            and getattr(record, name, "") not in ("", None, [], {})
        )
    delta = record.diff_against(previous, excluded_fields=list(HIDDEN_FIELDS))
    return tuple(
        Change(_label(model, c.field), _shown(c.old), _shown(c.new))
        for c in delta.changes
        if not c.field.endswith("_id") and c.field not in ("profile", "account", "share_link")
    )


def _who(record: Any) -> str:
    user = record.history_user
    if user is None:
        return "customer / system"
    return user.get_full_name() or user.get_username()


def _describe(model: type[Model], record: Any) -> str:
    name = str(model._meta.verbose_name).capitalize()
    detail = {
        CustomerProfile: "",
        RecipientAccount: getattr(record, "organisation", ""),
        RecipientDomain: getattr(record, "domain", ""),
        SenderAddress: getattr(record, "address", ""),
        ShareLink: getattr(record, "label", ""),
        ChecklistTick: getattr(record, "step_key", ""),
        StaffNote: "",
    }.get(model, "")
    return f"{name} {detail}".strip()


def _entries(model: type[Model], records: list[Any]) -> list[HistoryEntry]:
    """Entries for one model's records, each diffed against the previous record of its row."""
    by_row: dict[int, list[Any]] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_row.setdefault(record.id, []).append(record)
    entries = []
    for rows in by_row.values():
        for previous, record in pairwise([None, *rows]):
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=_who(record),
                    what=_describe(model, record),
                    action=ACTIONS.get(record.history_type, record.history_type),
                    reason=record.history_change_reason or "",
                    changes=_changes(model, record, previous),
                )
            )
    return entries


def _plans_shown(profile: CustomerProfile) -> list[HistoryEntry]:
    """Each new version of the instructions the customer was shown (PlanRecord)."""
    records = PlanRecord.objects.filter(profile=profile).order_by("-created_at", "-id")
    return [
        HistoryEntry(
            when=record.created_at,
            who="customer / system",
            what="Instructions shown to the customer",
            action="created",
            reason=f"platform facts {record.platform_version}" if record.platform_version else "",
            changes=(
                (Change("IP ranges used", "—", _shown(record.ip_ranges)),)
                if record.ip_ranges
                else ()
            ),
        )
        for record in records[:MAX_ENTRIES]
    ]


def profile_history(profile: CustomerProfile) -> list[HistoryEntry]:
    """The newest `MAX_ENTRIES` changes to `profile` and its parts, newest first."""
    pid = profile.pk
    account_ids = list(
        RecipientAccount.history.filter(profile_id=pid).values_list("id", flat=True).distinct()
    )
    sources: list[tuple[type[Model], Any]] = [
        (CustomerProfile, CustomerProfile.history.filter(id=pid)),
        (RecipientAccount, RecipientAccount.history.filter(profile_id=pid)),
        (RecipientDomain, RecipientDomain.history.filter(account_id__in=account_ids)),
        (SenderAddress, SenderAddress.history.filter(profile_id=pid)),
        (ShareLink, ShareLink.history.filter(profile_id=pid)),
        (ChecklistTick, ChecklistTick.history.filter(profile_id=pid)),
        (StaffNote, StaffNote.history.filter(profile_id=pid)),
    ]
    entries: list[HistoryEntry] = []
    for model, records in sources:
        latest = records.select_related("history_user").order_by("-history_date", "-history_id")
        entries.extend(_entries(model, list(latest[:MAX_ENTRIES])))
    entries.extend(_plans_shown(profile))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:MAX_ENTRIES]
