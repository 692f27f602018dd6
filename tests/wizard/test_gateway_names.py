"""A gateway is called the same on the wizard's domain badge, the plan on the instructions page
and the support console: every one reads apps.policies.gateways."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import selectors, services
from apps.policies import gateways
from tests.customers.factories import make_account, make_complete_profile
from tests.support.factories import make_staff
from tests.wizard.helpers import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("label", "gateway", "name"),
    [
        ("cisco", "cisco", "Cisco Secure Email"),
        ("cloudflare", "cloudflare", "Cloudflare Email Security"),
        ("proofpoint", "proofpoint", "Proofpoint"),
        ("m365", "microsoft365", "Microsoft 365"),
    ],
)
def test_the_badge_the_plan_and_support_name_a_gateway_alike(
    client: Client, label: str, gateway: str, name: str
) -> None:
    profile = make_complete_profile()
    make_account(profile, organisation="Their Org", domains=[f"{label}.gateways.example"])
    services.dns_recheck(profile=profile)
    assert gateways.label(gateway) == name

    badge = f">{name}</span>"
    assert badge in client.get(url("recipients", profile)).content.decode()
    plan = selectors.plan_for_profile(profile)
    account = next(a for a in plan.accounts if a.organisation == "Their Org")
    assert account.gateway.label == name
    assert f"Email handled by {name}<" in client.get(url("instructions", profile)).content.decode()
    staff = Client()
    staff.force_login(make_staff())
    page = staff.get(reverse("support:profile", kwargs={"ref": profile.support_ref}))
    assert badge in page.content.decode()
