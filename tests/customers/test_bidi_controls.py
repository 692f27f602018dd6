"""Text-direction controls (U+202E reverses the rest of a line in the PDF and the text export)
are taken out of whatever a customer types before it is stored, through the services' one text
check, and out of what the API is given; the letters themselves are kept in their order."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.core.bidi import BIDI_CONTROLS, strip_bidi
from apps.customers import services
from tests.customers.factories import make_complete_profile, make_profile

pytestmark = pytest.mark.django_db

REVERSED = "Acme \u202etd.L"  # shows as "Acme L.dt"


def test_strip_bidi_takes_out_every_control_and_nothing_else() -> None:
    assert strip_bidi("a" + "".join(sorted(BIDI_CONTROLS)) + "b\u200d") == "ab\u200d"
    assert len(BIDI_CONTROLS) == 12


@pytest.mark.parametrize("character", sorted(BIDI_CONTROLS))
def test_a_new_profile_is_stored_without_the_control(character: str) -> None:
    profile = make_profile(organisation=f"Acme{character}Ltd", contact_name=f"Jo{character}")
    profile.refresh_from_db()
    assert profile.organisation == "AcmeLtd"
    assert profile.contact_name == "Jo"


def test_a_name_of_nothing_but_controls_is_still_required() -> None:
    with pytest.raises(ValidationError) as refused:
        make_profile(organisation="\u202e\u2066")
    assert refused.value.message_dict == {"organisation": ["This field is required."]}


def test_a_recipient_organisation_a_display_name_and_a_share_label_are_stored_clean() -> None:
    profile = make_complete_profile()
    added = services.recipient_account_add(
        profile=profile, organisation=REVERSED, domains=["x.example"]
    )
    assert added.organisation == "Acme td.L"
    services.sending_identity_set(
        profile=profile,
        mode="sending_domain",
        from_addresses=["surveys@ownorg.example"],
        display_name=REVERSED,
        customer_address="luke@ownorg.example",
    )
    profile.refresh_from_db()
    assert profile.display_name == "Acme td.L"
    link = services.share_link_create(profile=profile, account_ref=added.ref, label=REVERSED)
    assert link.label == "Acme td.L"


def test_the_api_takes_it_out_too(client: Client) -> None:
    body = {
        "sending": {"mode": "verified_address", "from_addresses": ["s@ownorg.example"]},
        "recipients": [{"organisation": REVERSED, "domains": ["x.example"], "gateway": "mimecast"}],
    }
    response = client.post("/api/v1/plan", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["accounts"][0]["organisation"] == "Acme td.L"
