"""Writes from the support console that belong to support itself (profile writes live in
`apps.customers.services`)."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.customers.models import CustomerProfile
from apps.support.models import MAX_NOTE_LENGTH, StaffNote


@transaction.atomic
def staff_note_add(*, profile: CustomerProfile, author: User, body: str) -> StaffNote:
    """A private note on `profile`, signed by `author`. Raises ValidationError if empty/too long."""
    text = body.strip()
    if not text:
        raise ValidationError({"body": "Write something in the note."})
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError({"body": f"Keep a note under {MAX_NOTE_LENGTH} characters."})
    return StaffNote.objects.create(profile=profile, author=author, body=text)
