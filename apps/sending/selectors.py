"""Reads of the platform's facts, as the plain values the generator takes."""

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db import connection, models

from apps.policies.types import PlatformInfo
from apps.sending.models import PlatformFacts

_COLUMNS = (
    "id",
    "name",
    "shared_address",
    "bounce_address",
    "envelope_domain",
    "server_hostnames",
    "spf_include",
    "dkim_selectors",
    "updated_at",
)


@cache
def _history_model() -> type[models.Model]:
    return PlatformFacts.history.model


@cache
def _sql() -> str:
    table = PlatformFacts._meta.db_table
    history = _history_model()._meta.db_table
    columns = ", ".join(f"f.{column}" for column in _COLUMNS)
    return (
        f"SELECT {columns}, (SELECT MAX(h.history_id) FROM {history} h WHERE h.id = f.id) "  # noqa: S608
        f"FROM {table} f WHERE f.is_active = %s"
    )


def platform_info() -> PlatformInfo:
    """The active platform facts as a `PlatformInfo` (raises `PlatformFacts.DoesNotExist`).

    `version` is "<record id>.<history id>": it names the exact revision a plan was built from,
    so support can look it up in the admin history.

    Every API request reads this, so it is one plain query: the ORM spends several times the
    query's own cost compiling the equivalent subquery and building a model instance.
    """
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [True])
        row = cursor.fetchone()
    if row is None:
        raise PlatformFacts.DoesNotExist("No active platform facts.")
    pk, name, shared, bounce, envelope, hostnames, spf_include, selectors, updated_at, rev = row
    return PlatformInfo(
        name=name,
        shared_address=shared,
        spf_include=spf_include,
        server_hostnames=tuple(_json_list(hostnames)),
        bounce_address=bounce or "",
        envelope_domain=envelope or "",
        dkim_selectors=tuple(_json_list(selectors)),
        version=f"{pk}.{rev if rev is not None else 0}",
        updated_at=_aware(updated_at),
    )


def _json_list(value: Any) -> list[str]:
    """JSON columns arrive as text (SQLite) or already decoded (some PostgreSQL drivers)."""
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return [str(item) for item in value or ()]


def _aware(value: Any) -> datetime | None:
    """Timestamps arrive as text (SQLite) or datetimes (PostgreSQL); stored in UTC."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
