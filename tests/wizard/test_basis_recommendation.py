"""The options step recommends, per situation, the basis whose instructions warn against nothing
they could have avoided, with the trade-off in one line (issue 12, item 9)."""

import re
from typing import Any

import pytest
from django.test import Client

from apps.customers import selectors, services
from apps.customers.models import CustomerProfile
from apps.policies.types import PlatformIPs
from apps.wizard import presenters
from tests.customers.factories import make_account, make_profile
from tests.wizard.helpers import url

pytestmark = pytest.mark.django_db


def _profile(mode: str, recipient: tuple[str, str]) -> CustomerProfile:
    profile = make_profile()
    services.sending_identity_set(
        profile=profile,
        mode=mode,
        from_addresses=[] if mode == "unverified_address" else ["surveys@ownorg.example"],
        display_name="",
        customer_address="luke@ownorg.example",
    )
    make_account(profile, organisation=recipient[0], domains=[recipient[1]])
    services.dns_recheck(profile=profile)
    return profile


OWN = ("Own Org", "ownorg.example")
PARTNER = ("Partner Org", "partnerorg.example")

SITUATIONS = [
    # (mode, recipient, recommended basis)
    ("unverified_address", PARTNER, "address_and_ip"),  # the shared address
    ("sending_domain", OWN, "address_and_ip"),  # own domain to own organisation
    ("verified_address", OWN, "address_and_ip"),  # own verified address to own colleagues
    ("sending_domain", PARTNER, "address"),  # own domain to another organisation
]


def _checked_basis(html: str) -> str:
    found = re.search(r'<input[^>]*name="basis"[^>]*value="([a-z_]+)"[^>]*checked', html)
    assert found, "no basis is preselected"
    return found.group(1)


def _basis_warnings(profile: CustomerProfile, basis: str) -> list[str]:
    """What the instructions warn about that depends on the basis."""
    profile.basis = basis
    profile.save()
    plan = selectors.plan_for_profile(profile)
    said = [*plan.warnings, plan.basis_note]
    return [w for w in said if "forgeries" in w or "unavailable" in w]


@pytest.mark.parametrize(("mode", "recipient", "recommended"), SITUATIONS)
def test_it_recommends_the_basis_the_instructions_do_not_warn_against(
    client: Client, mode: str, recipient: tuple[str, str], recommended: str
) -> None:
    profile = _profile(mode, recipient)
    html = client.get(url("options", profile)).content.decode()
    assert _checked_basis(html) == recommended
    assert html.count("recommended for you") == 1
    advice = presenters.recommended_basis(profile)
    assert advice.basis == recommended
    assert "Recommended for you:" in html and advice.reason.split(":")[0] in html
    # The recommended basis gives instructions with nothing to warn about it.
    assert _basis_warnings(profile, recommended) == []


def test_the_shared_address_by_address_alone_is_what_the_instructions_warn_against() -> None:
    profile = _profile("unverified_address", PARTNER)
    assert any("forgeries" in w for w in _basis_warnings(profile, "address"))
    assert presenters.recommended_basis(profile).basis != "address"


def test_it_recommends_addresses_when_the_platforms_ips_cannot_be_looked_up(
    client: Client, monkeypatch: Any
) -> None:
    profile = _profile("unverified_address", PARTNER)
    monkeypatch.setattr(presenters.facade, "platform_ips", lambda platform: PlatformIPs())
    html = client.get(url("options", profile)).content.decode()
    assert _checked_basis(html) == "address"
    assert "can't be looked up just now" in html


def test_a_saved_choice_is_kept_over_the_recommendation(client: Client) -> None:
    profile = _profile("sending_domain", PARTNER)
    client.post(url("options", profile), {"basis": "ip"})
    html = client.get(url("options", profile)).content.decode()
    assert _checked_basis(html) == "ip"
