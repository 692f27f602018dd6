"""The admin reads customers' answers; every change goes through the services."""

import pytest
from django.test import Client

from apps.customers.models import CustomerProfile
from tests.customers.factories import make_complete_profile

pytestmark = pytest.mark.django_db


def test_staff_can_read_a_profile_in_the_admin_but_not_change_or_add_one(
    admin_client: Client,
) -> None:
    profile = make_complete_profile()
    page = admin_client.get(f"/admin/customers/customerprofile/{profile.pk}/change/")
    assert page.status_code == 200 and profile.organisation in page.content.decode()
    response = admin_client.post(
        f"/admin/customers/customerprofile/{profile.pk}/change/",
        {"organisation": "Renamed", "contact_name": "x", "contact_email": "x@example.com"},
    )
    assert response.status_code == 403
    assert CustomerProfile.objects.get().organisation == profile.organisation
    assert admin_client.get("/admin/customers/customerprofile/add/").status_code == 403
