"""Writes from the support console that belong to support itself (profile writes live in
`apps.customers.services`)."""

import logging

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
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


logger = logging.getLogger("safelist.support")

RESUME_SUBJECT = "Your Safelist link: carry on with your Mimecast instructions"
RESUME_BODY = """Hello {name},

You asked us for the link to the answers you gave Safelist for {organisation}. Open it to
carry on where you left off, or to see your instructions again:

{url}

Keep this link to yourself: anyone who has it can change your answers.
"""


@transaction.atomic
def resume_link_send(*, profile: CustomerProfile, sender: User, resume_url: str) -> StaffNote:
    """Email the customer their private link (to the contact address they gave, never another)
    and record that `sender` did, as a staff note in the profile's history."""
    if not profile.contact_email:
        raise ValidationError("This profile has no contact email address to send the link to.")
    body = RESUME_BODY.format(
        name=profile.contact_name or "there", organisation=profile.organisation, url=resume_url
    )
    try:
        send_mail(RESUME_SUBJECT, body, None, [profile.contact_email])
    except OSError as error:  # SMTP and connection failures
        logger.warning("resume link email failed", extra={"error": type(error).__name__})
        raise ValidationError(
            "The email could not be sent just now; nothing was recorded. Try again later."
        ) from None
    return StaffNote.objects.create(
        profile=profile,
        author=sender,
        body=f"Resume link emailed to {profile.contact_email}.",
    )
