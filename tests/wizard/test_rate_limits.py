"""Every write has its own limit per client (settings.RATE_LIMITS, apps.core.ratelimit): each
bucket refuses past its rate with a clear 429 and changes nothing, counts only its own action,
and counts each client (IPv4-mapped addresses as the IPv4 address they are) on its own."""

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.core.ratelimit import ACTIONS
from apps.customers import selectors, services
from apps.customers.models import ChecklistTick, CustomerProfile, RecipientAccount, ShareLink
from tests.customers.factories import make_complete_profile, make_profile, make_share_link
from tests.support.factories import make_staff
from tests.wizard.helpers import ABOUT, HTMX, url

pytestmark = pytest.mark.django_db


def limit(settings: Any, **rates: str) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, **rates}


def test_one_table_names_every_actions_limit() -> None:
    assert set(django_settings.RATE_LIMITS) == set(ACTIONS)
    assert django_settings.RATE_LIMITS["profile_create"] == "20/h"
    assert django_settings.RATE_LIMITS["it_tick"] != django_settings.RATE_LIMITS["dns"]


def test_it_rate_limits_live_domain_checks(client: Client, settings: Any) -> None:
    limit(settings, dns="2/h")
    profile = make_profile()
    statuses = [
        client.get(url("domain_check", profile), {"domains": domain}).status_code
        for domain in ("ownorg.example", "partnerorg.example", "m365org.example")
    ]
    assert statuses == [200, 200, 429]


def test_each_action_has_its_own_dns_counter(client: Client, settings: Any) -> None:
    limit(settings, dns="2/h")
    profile = make_profile()
    for domain in ("ownorg.example", "partnerorg.example"):
        client.get(url("domain_check", profile), {"domains": domain})
    assert client.get(url("domain_check", profile), {"domains": "x.example"}).status_code == 429
    # Checking domains many times does not use up the instructions' (or IT's ticks') allowance.
    assert client.get(url("instructions", profile)).status_code != 429


def test_it_limits_new_profiles_per_client(client: Client, settings: Any) -> None:
    limit(settings, profile_create="3/h")
    # Each post starts a new profile explicitly (a browser with one otherwise edits it).
    statuses = [client.post("/start/?new=1", ABOUT).status_code for _ in range(4)]
    assert statuses == [303, 303, 303, 429]
    assert CustomerProfile.objects.count() == 3
    assert client.get("/start/?new=1").status_code == 200  # the form itself is still shown
    other = client.post("/start/?new=1", ABOUT, REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 303  # another client has its own allowance


def test_an_ipv4_mapped_client_is_the_same_client_as_its_ipv4_address(
    client: Client, settings: Any
) -> None:
    limit(settings, profile_create="1/h")
    assert client.post("/start/?new=1", ABOUT, REMOTE_ADDR="::ffff:192.0.2.10").status_code == 303
    assert client.post("/start/?new=1", ABOUT, REMOTE_ADDR="192.0.2.10").status_code == 429
    # …and two mapped IPv4 clients are two clients, not one IPv6 /64.
    assert client.post("/start/?new=1", ABOUT, REMOTE_ADDR="::ffff:192.0.2.11").status_code == 303


def test_step_saves_are_limited_and_a_refused_save_changes_nothing(
    client: Client, settings: Any
) -> None:
    limit(settings, step_save="2/h")
    profile = make_profile()
    for name in ("First", "Second"):
        data = {**ABOUT, "organisation": name, "revision": profile.revision}
        assert client.post(url("about", profile), data).status_code == 303
        profile.refresh_from_db()
    data = {**ABOUT, "organisation": "Third", "revision": profile.revision}
    refused = client.post(url("about", profile), data)
    assert refused.status_code == 429
    assert "Too many saves from your address" in refused.content.decode()
    profile.refresh_from_db()
    assert profile.organisation == "Second"
    assert client.get(url("about", profile)).status_code == 200  # reading is not a save
    # The bucket is the action's, across the steps: the options step is refused too.
    assert client.post(url("options", profile), {"basis": "ip"}).status_code == 429


def test_recipient_changes_are_limited(client: Client, settings: Any) -> None:
    limit(settings, recipient_change="1/h")
    profile = make_complete_profile()
    before = RecipientAccount.objects.count()
    add = {"organisation": "Another Org", "domains": "another.example"}
    assert client.post(url("recipient_add", profile), add).status_code != 429
    assert RecipientAccount.objects.count() == before + 1
    ref = RecipientAccount.objects.filter(profile=profile).first().ref  # type: ignore[union-attr]
    refused = client.post(url("recipient_remove", profile, ref=ref), headers=HTMX)
    assert refused.status_code == 429
    assert RecipientAccount.objects.count() == before + 1


def test_share_link_changes_are_limited(client: Client, settings: Any) -> None:
    limit(settings, share_change="1/h")
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    link = make_share_link(profile)
    assert client.post(url("share_revoke", profile), {"link": link.token}).status_code == 303
    refused = client.post(url("share_create", profile), {"account": "", "label": ""})
    assert refused.status_code == 429
    assert ShareLink.objects.filter(profile=profile).count() == 1


def test_it_ticks_have_their_own_bucket_not_the_dns_one(client: Client, settings: Any) -> None:
    limit(settings, dns="1/h", it_tick="3/h")
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    link = make_share_link(profile)
    account = selectors.plan_for_profile(profile).accounts[0]
    tick_url = reverse("it:tick", kwargs={"token": link.token})
    ticks = [
        client.post(
            tick_url, {"account": account.ref, "step": step.key, "done": "on"}, headers=HTMX
        )
        for step in account.steps[:4]
    ]
    assert len(ticks) == 4
    assert [t.status_code for t in ticks] == [200, 200, 200, 429]  # past the DNS bucket's 1
    assert ChecklistTick.objects.filter(profile=profile).count() == 3


def test_a_refusal_to_htmx_is_a_fragment_with_the_message(client: Client, settings: Any) -> None:
    limit(settings, recipient_change="0/h")
    profile = make_complete_profile()
    add = {"organisation": "Another Org", "domains": "another.example"}
    refused = client.post(url("recipient_add", profile), add, headers=HTMX)
    assert refused.status_code == 429
    body = refused.content.decode().strip()
    assert body.startswith("<p") and 'role="alert"' in body and "<html" not in body
    assert "Too many changes to the organisations from your address" in body
    assert 0 < int(refused["Retry-After"]) <= 3600


def test_supports_resume_link_emails_are_limited(client: Client, settings: Any) -> None:
    limit(settings, resume_email="1/h")
    client.force_login(make_staff())
    profile = make_profile()
    send = reverse("support:resume_link_send", kwargs={"ref": profile.support_ref})
    assert client.post(send).status_code == 302
    assert client.post(send).status_code == 429
    assert len(mail.outbox) == 1
