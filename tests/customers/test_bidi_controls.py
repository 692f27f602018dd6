"""Text-direction control characters (U+202E reverses the rest of a line in the PDF and the
text export) are refused wherever a customer types text, with a clear message; nothing is saved."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.core.bidi import BIDI_MESSAGE
from apps.customers import services
from apps.customers.models import CustomerProfile, RecipientAccount
from tests.customers.factories import make_complete_profile, make_profile

pytestmark = pytest.mark.django_db

REVERSED = "Acme \u202etd.L"  # shows as "Acme L.dt"


@pytest.mark.parametrize("character", ["\u202e", "\u202d", "\u2066", "\u200f", "\u061c"])
def test_a_new_profile_with_a_direction_control_is_refused(character: str) -> None:
    with pytest.raises(ValidationError) as refused:
        make_profile(organisation=f"Acme{character}Ltd")
    assert refused.value.message_dict == {"organisation": [BIDI_MESSAGE]}
    assert not CustomerProfile.objects.exists()


def test_a_recipient_organisation_a_display_name_and_a_share_label_refuse_it() -> None:
    profile = make_complete_profile()
    with pytest.raises(ValidationError) as refused:
        services.recipient_account_add(
            profile=profile, organisation=REVERSED, domains=["x.example"]
        )
    assert refused.value.message_dict["organisation"] == [BIDI_MESSAGE]
    assert not RecipientAccount.objects.filter(organisation__contains="\u202e").exists()
    with pytest.raises(ValidationError) as refused:
        services.sending_identity_set(
            profile=profile,
            mode="sending_domain",
            from_addresses=["surveys@ownorg.example"],
            display_name=REVERSED,
            customer_address="luke@ownorg.example",
        )
    assert refused.value.message_dict["display_name"] == [BIDI_MESSAGE]
    account_ref = profile.recipient_accounts.all()[0].ref
    with pytest.raises(ValidationError) as refused:
        services.share_link_create(profile=profile, account_ref=account_ref, label=REVERSED)
    assert refused.value.message_dict["label"] == [BIDI_MESSAGE]


def test_the_api_refuses_it_with_the_path_at_fault(client: Client) -> None:
    body = {
        "sending": {"mode": "verified_address", "from_addresses": ["s@ownorg.example"]},
        "recipients": [{"organisation": REVERSED, "domains": ["x.example"], "gateway": "mimecast"}],
    }
    response = client.post("/api/v1/plan", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["recipients.0.organisation"] == [BIDI_MESSAGE]
