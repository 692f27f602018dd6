"""The customer's private link (`/p/<token>/`): replacing it, and recording when it was used."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.customers import selectors
from apps.customers.models import CustomerProfile, new_token

# "Last used" is as precise as this: a busy customer's every click must not be a write.
LINK_USE_PRECISION = timedelta(minutes=5)


@transaction.atomic
def resume_link_replace(*, profile: CustomerProfile) -> CustomerProfile:
    """Give the profile a new private link (a fresh token from `secrets`). The old link stops
    working at once (it finds no profile: 404), and so does every browser bound to it (the
    binding holds the token). IT's share links have tokens of their own and keep working.
    The answers do not change, so neither do their revision nor `updated_at`."""
    now = timezone.now()
    token = new_token()
    CustomerProfile.objects.filter(pk=profile.pk).update(
        token=token, token_issued_at=now, token_used_at=now
    )
    profile.token, profile.token_issued_at, profile.token_used_at = token, now, now
    return profile


def resume_link_used(*, profile: CustomerProfile, now: datetime | None = None) -> bool:
    """Record that the private link was used now, unless that was recorded less than
    `LINK_USE_PRECISION` ago; one conditional UPDATE, so two requests at once write once.
    Called when the link binds a browser and on the customer's saves (POSTs), never on a plain
    page view. Returns whether it wrote."""
    now = now or timezone.now()
    recent = Q(token_used_at__gt=now - LINK_USE_PRECISION)
    written = (
        CustomerProfile.objects.filter(pk=profile.pk, token=profile.token)
        .exclude(recent)
        .update(token_used_at=now)
    )
    if written:
        profile.token_used_at = now
    return bool(written)


def profile_by_link(token: str, *, saving: bool) -> CustomerProfile | None:
    """The profile behind a private link (None for any other token). A save through the link
    (`saving`: a POST) counts as using it (`resume_link_used`); a plain page view writes nothing."""
    profile = selectors.profile_by_token(token)
    if profile is not None and saving:
        resume_link_used(profile=profile)
    return profile
