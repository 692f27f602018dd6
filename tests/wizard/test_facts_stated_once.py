"""Issue 12, items 8, 10–13 at the level of the pages: one SPF word on every page, domains that
can't receive email, rate limits that say when, a re-check that says what changed, and the IT
PDF's link back to its checklist."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from apps.customers import dnsfacts, selectors, services
from apps.customers.models import CustomerProfile, RecipientDomain
from tests.customers.factories import (
    make_checked_profile,
    make_profile,
    make_share_link,
)
from tests.support.factories import make_staff
from tests.wizard.helpers import HTMX, url

pytestmark = pytest.mark.django_db


def _no_spf_profile() -> CustomerProfile:
    return make_checked_profile(
        "surveys@nospf.spf.example",
        ("No SPF Org", ["nospf.spf.example"]),
        ("Partner Org", ["partnerorg.example"]),
    )


def test_a_missing_spf_record_is_missing_on_every_page(client: Client) -> None:
    profile = _no_spf_profile()
    pages = {
        "wizard": client.get(url("sending", profile)).content.decode(),
        "instructions": client.get(url("instructions", profile)).content.decode(),
        "text": client.get(url("instructions_txt", profile)).content.decode(),
    }
    link = make_share_link(profile)
    pages["it"] = client.get(reverse("it:page", kwargs={"token": link.token})).content.decode()
    client.force_login(make_staff())
    pages["support"] = client.get(
        reverse("support:profile", kwargs={"ref": profile.support_ref})
    ).content.decode()
    for name, html in pages.items():
        assert "could not check" not in html, name
        assert "SPF: unknown" not in html and "unknown</dd>" not in html, name
    for name in ("wizard", "instructions", "support"):
        assert "SPF: missing" in pages[name], name


def test_the_instructions_lead_with_what_the_customers_domain_must_publish(
    client: Client,
) -> None:
    html = client.get(url("instructions", _no_spf_profile())).content.decode()
    heading = html.index("</h1>")
    block = html.index('data-testid="own-dns"')
    assert heading < block < html.index('class="plan"')
    assert "<code>v=spf1 include:spf.ssmx.net ~all</code>" in html


def test_the_page_has_no_dns_block_when_the_domain_is_in_order(client: Client) -> None:
    profile = make_checked_profile("surveys@good.spf.example")
    assert 'data-testid="own-dns"' not in client.get(url("instructions", profile)).content.decode()


def test_a_domain_that_cannot_receive_email_gets_no_steps(client: Client) -> None:
    profile = make_profile()
    services.sending_identity_set(
        profile=profile,
        mode="unverified_address",
        from_addresses=[],
        display_name="",
        customer_address="luke@ownorg.example",
    )
    client.post(url("recipient_add", profile), {"organisation": "Typo Ltd", "domains": "gmial.com"})
    row = RecipientDomain.objects.get(domain="gmial.com")
    assert dnsfacts.badge(row).text == "can't receive email"
    html = client.get(url("recipients", profile)).content.decode()
    assert "check the spelling (did you mean gmail.com?)" in html
    assert "just now" not in html  # that is only for a real DNS failure
    (typo,) = selectors.plan_for_profile(profile).accounts
    assert typo.steps == ()


def test_a_from_address_with_a_space_is_one_error(client: Client) -> None:
    profile = make_profile()
    response = client.post(
        url("sending", profile),
        {"mode": "verified_address", "from_addresses": "a b@ownorg.example"},
    )
    html = response.content.decode()
    # One entry, one error (listed once in the summary), not one per word.
    assert html.count('<li><a class="alert-link') == 1
    assert "“a b@ownorg.example” is not a valid email address" in html
    assert "&#x27;a&#x27; is not" not in html  # not the first word on its own


def test_a_live_check_and_the_add_of_the_same_domain_count_once(
    client: Client, settings: object
) -> None:
    # An hour's window: the limiter's windows start at a point of their own, and a minute's
    # window could roll over between two requests of the test.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "dns": "1/h"}  # type: ignore[attr-defined]
    profile = make_profile()
    check = client.get(
        url("domain_check", profile), {"domains": "partnerorg.example"}, headers=HTMX
    )
    assert check.status_code == 200
    add = {"organisation": "Partner Org", "domains": "partnerorg.example"}
    assert client.post(url("recipient_add", profile), add, headers=HTMX).status_code == 200
    assert profile.recipient_accounts.count() == 1
    # A domain not checked before is a new lookup: past the limit, refused with when to retry.
    other = {"organisation": "Own Org", "domains": "ownorg.example"}
    refused = client.post(url("recipient_add", profile), other, headers=HTMX)
    assert refused.status_code == 429
    seconds = int(refused["Retry-After"])
    assert 0 < seconds <= 3600
    assert re.search(
        r">Too many checks from your address in a short time: "
        r"try again in \d+ (seconds?|minutes)\.<",
        refused.content.decode(),
    )
    assert profile.recipient_accounts.count() == 1


def test_look_up_again_says_when_it_checked_and_what_changed(client: Client) -> None:
    profile = _no_spf_profile()
    html = client.get(url("instructions", profile)).content.decode()
    assert re.search(r"Domains checked <time[^>]*>0\xa0minutes ago</time>", html)
    # As if partnerorg.example had been on Microsoft 365 at the last look-up.
    RecipientDomain.objects.filter(domain="partnerorg.example").update(gateway="microsoft365")
    response = client.post(url("recheck", profile), follow=True)
    html = response.content.decode()
    assert "Looked up again just now. What changed:" in html
    assert "partnerorg.example: gateway now Mimecast · United States (was Microsoft 365)" in html
    html = client.post(url("recheck", profile), follow=True).content.decode()
    assert "Looked up again just now: nothing changed." in html
    # Said once: the next visit no longer repeats it.
    assert "Looked up again" not in client.get(url("instructions", profile)).content.decode()


def _uris(pdf: bytes) -> list[str]:
    return [
        annot.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annot in page.get("/Annots") or ()
        if "/A" in annot.get_object()
    ]


def test_the_it_pdf_links_back_to_its_live_checklist(client: Client) -> None:
    profile = _no_spf_profile()
    link = make_share_link(profile)
    page = reverse("it:page", kwargs={"token": link.token})
    pdf = client.get(reverse("it:instructions_pdf", kwargs={"token": link.token})).content
    assert f"http://testserver{page}" in _uris(pdf)
    # The customer's own PDF links each organisation to its IT link, never to the private page.
    mine = client.get(url("instructions_pdf", profile)).content
    assert f"http://testserver{page}" in _uris(mine)
    assert not any(profile.token in uri for uri in _uris(mine))


def test_the_it_pdf_holds_its_own_organisations_steps_only(client: Client) -> None:
    profile = _no_spf_profile()  # No SPF Org and Partner Org
    partner = profile.recipient_accounts.get(organisation="Partner Org")
    link = make_share_link(profile, account=partner)
    pdf = client.get(reverse("it:instructions_pdf", kwargs={"token": link.token})).content
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Partner Org" in text and "partnerorg.example" in text
    # The other organisation (the customer's own domain, named here only as the sender's).
    assert "No SPF Org" not in text
    (account,) = selectors.plan_for_account(
        selectors.plan_for_profile(profile), partner.ref
    ).accounts
    assert text.count("☐") == len(account.steps)
