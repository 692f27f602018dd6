"""Helpers shared by the customer services: field-keyed validation and history reasons."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from apps.core.bidi import strip_bidi
from apps.customers.models import CustomerProfile
from apps.customers.validation import normalise_email


def text(
    errors: dict[str, list[str]], field: str, value: str, *, required: bool, limit: int
) -> str:
    # One line (these end up in headers and forms), and no text-direction controls: invisible,
    # they would reverse the line in every export (apps.core.bidi).
    cleaned = " ".join(strip_bidi(value or "").split())
    if required and not cleaned:
        errors.setdefault(field, []).append("This field is required.")
    elif len(cleaned) > limit:
        errors.setdefault(field, []).append(f"Keep this under {limit} characters.")
    return cleaned


def email(errors: dict[str, list[str]], field: str, value: str, *, required: bool) -> str:
    if not (value or "").strip():
        if required:
            errors.setdefault(field, []).append("Enter an email address.")
        return ""
    try:
        return normalise_email(value)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)
        return ""


def normalised_list(
    errors: dict[str, list[str]],
    field: str,
    values: Iterable[str],
    normalise: Callable[[str], str],
    *,
    empty: str,
    limit: int,
    too_many: str,
) -> list[str]:
    """Each non-blank value through `normalise`, in order; its errors, repeats, none at all
    (`empty`) and more than `limit` (`too_many`) are recorded under `field`."""
    cleaned: list[str] = []
    for raw in values:
        if not raw.strip():
            continue
        try:
            value = normalise(raw)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
            continue
        if value in cleaned:
            errors.setdefault(field, []).append(f"{value} is listed twice.")
        cleaned.append(value)
    if not cleaned and field not in errors:
        errors[field] = [empty]
    if len(cleaned) > limit:
        errors.setdefault(field, []).append(too_many)
    return cleaned


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def reason(obj: Any, reason: str) -> None:
    obj._change_reason = reason  # read by simple_history when the row is saved


def touch(profile: CustomerProfile) -> None:
    """Mark the profile's answers as changed when only its related rows changed."""
    CustomerProfile.objects.filter(pk=profile.pk).update(
        updated_at=timezone.now(), revision=F("revision") + 1
    )
    profile.refresh_from_db(fields=["revision", "updated_at"])


def save_answers(profile: CustomerProfile) -> None:
    """Save a change to the customer's answers, one revision on from the stored one (the row is
    locked, so two saves at once cannot both claim the same revision). Call inside a
    transaction."""
    stored = (
        CustomerProfile.objects.select_for_update()
        .values_list("revision", flat=True)
        .get(pk=profile.pk)
    )
    profile.revision = stored + 1
    profile.save()


def lock_profile(profile: CustomerProfile) -> None:
    """Hold the profile's row until the caller's transaction ends, so that identical writes sent
    at once (a double click, a retried request) run one after the other: the second sees what
    the first stored instead of both inserting the same rows (an IntegrityError on PostgreSQL).
    """
    CustomerProfile.objects.select_for_update().filter(pk=profile.pk).first()
