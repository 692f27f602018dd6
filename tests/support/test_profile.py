"""The profile page: answers, DNS facts and re-check, instructions, share links, exports."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.customers import services
from apps.customers.models import CustomerProfile, PlanRecord, RecipientDomain, ShareLink
from apps.customers.selectors import plan_for_profile, share_link_by_token
from tests.customers.factories import make_complete_profile
from tests.support.factories import make_profile, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(make_staff())
    return client


@pytest.fixture
def profile() -> CustomerProfile:
    return make_profile(
        "Own Org Ltd",
        contact_name="Sam Carter",
        contact_email="sam@ownorg.example",
        account_reference="SS-555001",
        recipients={"Partner Org": ["partnerorg.example"], "M365 Org": ["m365org.example"]},
        senders=["surveys@ownorg.example"],
    )


def _url(name: str, profile: CustomerProfile, **kwargs: str | int) -> str:
    return reverse(f"support:{name}", kwargs={"ref": profile.support_ref, **kwargs})


def test_it_shows_the_answers_dns_facts_and_instructions(
    staff_client: Client, profile: CustomerProfile
) -> None:
    html = staff_client.get(_url("profile", profile)).content.decode()
    for text in ["Own Org Ltd", "Sam Carter", "SS-555001", "surveys@ownorg.example"]:
        assert text in html
    assert "partnerorg.example" in html and "m365org.example" in html
    assert "not checked yet" in html
    assert 'id="instructions"' in html and "IT checklist: 0 of" in html
    assert _url("instructions_pdf", profile) in html


def test_it_404s_for_an_unknown_token(staff_client: Client) -> None:
    assert staff_client.get(reverse("support:profile", kwargs={"ref": "nope"})).status_code == 404


def test_it_never_serves_a_profile_by_numeric_id(
    staff_client: Client, profile: CustomerProfile
) -> None:
    link = ShareLink.objects.create(profile=profile)
    pages: list[tuple[str, dict[str, Any]]] = [
        ("profile", {"ref": str(profile.pk)}),
        ("instructions_text", {"ref": str(profile.pk)}),
        ("share_link_revoke", {"ref": str(profile.pk), "link_id": link.pk}),
    ]
    for name, kwargs in pages:
        method = staff_client.post if name == "share_link_revoke" else staff_client.get
        assert method(reverse(f"support:{name}", kwargs=kwargs)).status_code == 404, name


def test_the_page_has_no_inline_scripts_or_styles(
    staff_client: Client, profile: CustomerProfile
) -> None:
    html = staff_client.get(_url("profile", profile)).content.decode()
    assert 'style="' not in html and "<style" not in html
    assert "<script>" not in html


def test_recheck_stores_what_dns_says_and_returns_the_facts(
    staff_client: Client, profile: CustomerProfile, test_dns: object
) -> None:
    response = staff_client.post(_url("dns_recheck", profile), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="dns-facts"' in html and "<html" not in html
    assert "Mimecast" in html and "us-smtp-inbound-1.mimecast.com" in html
    partner = RecipientDomain.objects.get(domain="partnerorg.example")
    assert (partner.gateway, partner.region) == ("mimecast", "us")
    assert RecipientDomain.objects.get(domain="m365org.example").gateway == "microsoft365"


def test_recheck_without_javascript_redirects_back(
    staff_client: Client, profile: CustomerProfile, test_dns: object
) -> None:
    response = staff_client.post(_url("dns_recheck", profile))
    assert response.status_code == 302 and response["Location"] == _url("profile", profile)


def test_recheck_is_rate_limited(
    staff_client: Client, profile: CustomerProfile, settings: object, silent_dns: object
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1/h"}  # type: ignore[attr-defined]
    from django.core.cache import cache

    cache.clear()
    staff_client.post(_url("dns_recheck", profile))
    assert staff_client.post(_url("dns_recheck", profile)).status_code == 429
    cache.clear()


# --- Share links ----------------------------------------------------------------------------------


def test_staff_create_a_share_link(staff_client: Client, profile: CustomerProfile) -> None:
    account = profile.recipient_accounts.all()[0]
    response = staff_client.post(
        _url("share_link_create", profile), {"label": "For Partner IT", "account": account.ref}
    )
    assert response.status_code == 302
    link = ShareLink.objects.get(profile=profile)
    assert link.label == "For Partner IT" and link.is_active and link.account == account
    assert "For Partner IT" in staff_client.get(_url("profile", profile)).content.decode()


def test_a_revoked_share_link_no_longer_opens(
    staff_client: Client, profile: CustomerProfile
) -> None:
    link = ShareLink.objects.create(
        profile=profile, account=profile.recipient_accounts.all()[0], label="IT"
    )
    assert share_link_by_token(link.token) == link
    it_page = reverse("it:page", kwargs={"token": link.token})
    assert it_page in staff_client.get(_url("profile", profile)).content.decode()
    response = staff_client.post(_url("share_link_revoke", profile, link_id=link.pk))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert share_link_by_token(link.token) is None
    assert Client().get(it_page).status_code == 404
    assert "revoked" in staff_client.get(_url("profile", profile)).content.decode()


def test_it_wont_revoke_another_profiles_link(
    staff_client: Client, profile: CustomerProfile
) -> None:
    other = make_profile("Other Org")
    link = ShareLink.objects.create(profile=other)
    response = staff_client.post(_url("share_link_revoke", profile, link_id=link.pk))
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


# --- Exports --------------------------------------------------------------------------------------


def test_it_downloads_the_instructions_as_text(
    staff_client: Client, profile: CustomerProfile
) -> None:
    response = staff_client.get(_url("instructions_text", profile))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    assert "Partner Org" in response.content.decode()


def test_it_downloads_the_instructions_as_pdf(
    staff_client: Client, profile: CustomerProfile
) -> None:
    response = staff_client.get(_url("instructions_pdf", profile))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_recheck_also_refreshes_the_instructions(
    staff_client: Client, profile: CustomerProfile, test_dns: object
) -> None:
    html = staff_client.post(
        _url("dns_recheck", profile), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="instructions"' in html and 'hx-swap-oob="true"' in html
    assert "Mimecast" in html.split('id="instructions"')[1]


def test_it_says_when_the_instructions_changed_since_the_customer_saw_them(
    staff_client: Client, profile: CustomerProfile
) -> None:
    record = services.plan_record_save(profile=profile, plan=plan_for_profile(profile))
    html = staff_client.get(_url("profile", profile)).content.decode()
    assert "Last shown to the customer" in html and "differ from the ones" not in html

    PlanRecord.objects.filter(pk=record.pk).update(fingerprint="older", ip_ranges=["10.9.8.0/24"])
    html = staff_client.get(_url("profile", profile)).content.decode()
    assert "differ from the ones the customer last saw" in html and "10.9.8.0/24" in html


def test_exports_explain_when_there_are_no_platform_facts(
    staff_client: Client, profile: CustomerProfile
) -> None:
    from apps.sending.models import PlatformFacts

    PlatformFacts.objects.update(is_active=False)
    for name in ["instructions_pdf", "instructions_text"]:
        response = staff_client.get(_url(name, profile), follow=True)
        assert response.redirect_chain[-1][0] == _url("profile", profile)
        assert "No active platform facts" in response.content.decode()


def test_no_staff_link_form_or_redirect_carries_a_customer_or_it_token(
    staff_client: Client, profile: CustomerProfile, test_dns: object
) -> None:
    """Staff URLs name a profile by its support_ref and a share link by its id: the resume token
    (write access to the customer's answers) and IT's link token stay out of staff browser
    history, tickets and access logs."""
    account = profile.recipient_accounts.all()[0]
    link = ShareLink.objects.create(profile=profile, account=account, label="IT")
    tokens = [profile.token, link.token]
    pages = [
        staff_client.get(_url("profile", profile)).content.decode(),
        staff_client.get(reverse("support:search"), {"q": "Own Org"}).content.decode(),
    ]
    urls = [u for html in pages for u in re.findall(r'(?:href|action|data-hx-\w+)="([^"]*)"', html)]
    assert _url("share_link_revoke", profile, link_id=link.pk) in urls
    assert _url("profile", profile) in urls  # the search result links the profile
    assert not [u for u in urls if any(token in u for token in tokens)]

    posts = [
        ("note_add", {"body": "Called them."}, {}),
        ("share_link_create", {"account": account.ref, "label": "IT 2"}, {}),
        ("dns_recheck", {}, {}),
        ("resume_link_send", {}, {}),
        ("share_link_revoke", {}, {"link_id": link.pk}),
    ]
    for name, data, kwargs in posts:
        response = staff_client.post(_url(name, profile, **kwargs), data)
        location = response.headers["Location"]
        assert location.startswith(_url("profile", profile)), name
        assert not any(token in location for token in tokens), name


def test_it_shows_the_sending_domains_spf_record_as_dns_gave_it(
    staff_client: Client, test_dns: object
) -> None:
    own = make_complete_profile()  # sends as ownorg.example
    services.dns_recheck(profile=own)
    html = staff_client.get(_url("profile", own)).content.decode()
    # tests/dns/zones/ownorg.example.zone: the record, and that it authorises the platform.
    assert "<code>v=spf1 include:spf.ssmx.net -all</code>" in html
    assert "SPF: OK" in html
