import pytest
from django.test import Client

from tests.customers.factories import make_profile
from tests.wizard.helpers import url

pytestmark = pytest.mark.django_db


def test_it_rate_limits_live_domain_checks(client: Client, settings: object) -> None:
    settings.DNS_RATE_LIMIT = "2/h"  # type: ignore[attr-defined]
    profile = make_profile()
    statuses = [
        client.get(url("domain_check", profile), {"domains": "ownorg.example"}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
