"""Made-up profiles for trying the console: dated in the past, facts worded like real ones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.customers import selectors
from apps.customers.models import CustomerProfile, RecipientAccount, RecipientDomain
from apps.support.fake import generate

pytestmark = pytest.mark.django_db


def test_it_creates_profiles_dated_as_given_and_complete_or_not() -> None:
    assert generate(40, seed=7, batch_size=15, history_sample=3) == 40
    assert CustomerProfile.objects.count() == 40
    week_ago = timezone.now() - timedelta(days=7)
    bulk = CustomerProfile.objects.order_by("pk")[3:]  # the rest came in batches
    # Their made-up dates stuck (bulk_create alone stamps them all "now").
    assert sum(p.created_at < week_ago for p in bulk) > len(bulk) // 2
    assert all(p.created_at <= p.updated_at for p in bulk)
    assert RecipientAccount.objects.filter(created_at__lt=week_ago).exists()
    assert {selectors.is_complete(p) for p in CustomerProfile.objects.all()} == {True, False}
    statuses = set(RecipientDomain.objects.values_list("status", flat=True))
    assert "gateway" in statuses and statuses <= {"gateway", "error", "not_found"}
