import pytest
from django.test import Client

from apps.customers import services
from apps.customers.models import RecipientAccount
from tests.customers.factories import make_account, make_profile
from tests.wizard.helpers import HTMX, url

pytestmark = pytest.mark.django_db


def _profile():
    profile = make_profile()
    services.sending_identity_set(
        profile=profile,
        mode="sending_domain",
        from_addresses=["surveys@ownorg.example"],
        display_name="",
        customer_address="",
    )
    return profile


def test_it_says_each_mimecast_account_needs_its_own_policies(client: Client) -> None:
    response = client.get(url("recipients", make_profile()))
    assert b"Step 3 of 5" in response.content
    assert b"needs its own policies" in response.content


def test_it_adds_an_organisation_and_shows_badges_for_htmx(client: Client) -> None:
    profile = _profile()
    data = {"organisation": "Own Org", "domains": "OwnOrg.example\nm365org.example"}
    response = client.post(url("recipient_add", profile), data, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="recipients">')
    assert "Mimecast · Europe" in html
    assert ">Microsoft 365<" in html  # its own steps follow, so no "don't apply"
    assert "your own domain" in html


def test_it_adds_an_organisation_without_javascript(client: Client) -> None:
    profile = _profile()
    data = {"organisation": "Partner", "domains": "partnerorg.example"}
    response = client.post(url("recipient_add", profile), data)
    assert response.status_code == 303
    page = client.get(response["Location"])
    assert "Mimecast · United States" in page.content.decode()


def test_it_shows_couldnt_check_when_dns_is_silent(client: Client, silent_dns: int) -> None:
    profile = _profile()
    data = {"organisation": "Slow", "domains": "slow.example"}
    response = client.post(url("recipient_add", profile), data, headers=HTMX)
    assert b"couldn&#x27;t check (timeout)" in response.content


def test_it_rejects_a_bad_domain_next_to_the_field(client: Client) -> None:
    profile = _profile()
    data = {"organisation": "Bad", "domains": "not a domain"}
    response = client.post(url("recipient_add", profile), data, headers=HTMX)
    assert b'id="error_1_id_domains"' in response.content
    assert RecipientAccount.objects.count() == 0


def test_it_edits_an_organisation_inline(client: Client) -> None:
    profile = _profile()
    account = make_account(profile)
    form = client.get(url("recipient_edit", profile, ref=account.ref), headers=HTMX)
    assert b"Save changes" in form.content
    prefix = f"edit-{account.ref}"
    data = {f"{prefix}-organisation": "Partner Renamed", f"{prefix}-domains": "partnerorg.example"}
    response = client.post(url("recipient_edit", profile, ref=account.ref), data, headers=HTMX)
    assert b"Partner Renamed" in response.content
    assert b"Mimecast \xc2\xb7 United States" in response.content


def test_it_removes_an_organisation(client: Client) -> None:
    profile = _profile()
    account = make_account(profile)
    response = client.post(url("recipient_remove", profile, ref=account.ref))
    assert response.status_code == 303
    assert RecipientAccount.objects.count() == 0


def test_it_gives_404_for_another_profiles_organisation(client: Client) -> None:
    mine, other = _profile(), make_profile()
    account = make_account(other)
    response = client.post(url("recipient_remove", mine, ref=account.ref))
    assert response.status_code == 404
    assert RecipientAccount.objects.count() == 1


def test_it_checks_typed_domains_live(client: Client) -> None:
    profile = _profile()
    response = client.get(url("domain_check", profile), {"domains": "partnerorg.example, x"})
    assert b"Mimecast \xc2\xb7 United States" in response.content
    assert "“x” is not a full domain name (like example.com)." in response.content.decode()


def test_it_needs_an_organisation_before_moving_on(client: Client) -> None:
    profile = _profile()
    response = client.post(url("recipients", profile), headers=HTMX)
    assert b"Add at least one organisation" in response.content
    make_account(profile)
    response = client.post(url("recipients", profile))
    assert response["Location"] == url("options", profile)


def test_continue_adds_the_organisation_still_typed(client: Client) -> None:
    profile = make_profile()
    typed = {"organisation": "Partner Org", "domains": "partnerorg.example", "continue": "1"}
    response = client.post(url("recipients", profile), typed)
    assert response.status_code == 303
    assert response["Location"] == url("options", profile)
    assert profile.recipient_accounts.get().organisation == "Partner Org"


def test_continue_keeps_a_typed_organisation_it_cannot_add_and_says_what_to_do(
    client: Client,
) -> None:
    profile = make_account(make_profile()).profile
    typed = {"organisation": "Second Org", "domains": "not a domain", "continue": "1"}
    response = client.post(url("recipients", profile), typed, headers=HTMX)
    assert response.status_code == 200
    assert b"is not added yet" in response.content
    assert b'value="Second Org"' in response.content
    assert profile.recipient_accounts.count() == 1
