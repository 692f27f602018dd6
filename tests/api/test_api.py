"""POST /api/v1/plan: the JSON contract of docs/api.md, with the real DNS checks
behind it (the test server, tests/dns/zones): mc-de.gateways.example is behind Mimecast Germany
and publishes no SPF; ownorg.example is behind Mimecast Europe and its SPF includes the
platform; partnerorg.example is behind Mimecast US."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from apps.api.views import plan
from apps.sending.models import PlatformFacts
from tests.dnscheck.test_platform_ips import EXPECTED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_settings")]

URL = "/api/v1/plan"


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sending": {
            "mode": "sending_domain",
            "from_addresses": ["surveys@mc-de.gateways.example"],
            "display_name": "Customer HR",
            "unique_links": False,
        },
        "recipients": [
            {"organisation": "Customer Ltd", "domains": ["mc-de.gateways.example"], "gateway": None}
        ],
        "basis": "address",
    }
    data.update(overrides)
    return data


def post(client: Client, data: Any) -> Any:
    raw = data if isinstance(data, bytes) else json.dumps(data)
    return client.post(URL, raw, content_type="application/json")


def test_it_answers_with_the_plan(client: Client, dns) -> None:
    response = post(client, body())
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"accounts", "platform", "generated_at", "basis", "mode", "warnings"}
    (account,) = data["accounts"]
    assert set(account) >= {
        "organisation",
        "domains",
        "gateway",
        "whitelist_addresses",
        "steps",
        "warnings",
    }
    assert account["whitelist_addresses"] == ["surveys@mc-de.gateways.example"]
    assert set(account["gateway"]) >= {"name", "region", "console_url", "evidence"}
    assert [s["policy"] for s in account["steps"]] == [
        "permitted_senders",
        "anti_spoofing_bypass",
        "verify",
    ]
    permit = account["steps"][0]
    assert set(permit) >= {"policy", "title", "path", "settings", "why"}
    assert set(permit["path"]) == {"current", "legacy"}
    assert permit["settings"][1] == {
        "field": "Select Option",
        "value": "Permit Sender",
        "inferred": False,
    }
    # The own-domain exception is IP-scoped (the platform's IPs were looked up for it).
    exception = {x["field"]: x["value"] for x in account["steps"][1]["settings"]}
    assert exception["Addresses Based On"] == "Both"
    assert exception["Source IP Ranges (n.n.n.n/x)"] == ", ".join(EXPECTED)
    facts = PlatformFacts.objects.get(is_active=True)
    assert data["platform"]["shared_address"] == facts.shared_address


def test_it_detects_null_gateways_through_dns(client: Client, dns) -> None:
    data = body(
        recipients=[
            {
                "organisation": "A",
                "domains": ["mc-de.gateways.example", "mc-upper.gateways.example"],
                "gateway": None,
            },
            {"organisation": "B", "domains": ["b.example"], "gateway": "mimecast", "region": "au"},
            {"organisation": "C", "domains": ["partnerorg.example"]},
        ]
    )
    accounts = post(client, data).json()["accounts"]
    # Every recipient domain is looked up once, in one batch.
    assert dns.detected == [
        ["mc-de.gateways.example", "mc-upper.gateways.example", "partnerorg.example"]
    ]
    assert accounts[0]["gateway"]["name"] == "mimecast"
    assert "de-smtp-inbound-1.mimecast.com" in accounts[0]["gateway"]["evidence"]
    assert accounts[1]["gateway"]["console_url"] == "https://login-au.mimecast.com"
    assert accounts[2]["gateway"]["region"] == "us"
    assert accounts[2]["gateway"]["evidence"] == ["us-smtp-inbound-1.mimecast.com"]


@pytest.mark.parametrize(
    "gateway",
    [{"gateway": "fastmail"}, {"gateway": {"name": "fastmail", "region": None}}],
    ids=["string", "object"],
)
def test_it_takes_a_forced_gateway_as_given(client: Client, dns, gateway) -> None:
    data = body(recipients=[{"organisation": "X", "domains": ["x.example"], **gateway}])
    (account,) = post(client, data).json()["accounts"]
    assert dns.detected == []
    assert account["steps"] == []
    assert "do not apply" in account["warnings"][0]


def test_it_reads_platform_ips_only_when_a_step_can_use_them(client: Client, dns) -> None:
    external = [{"organisation": "P", "domains": ["partnerorg.example"], "gateway": "mimecast"}]
    post(client, body(recipients=external))
    assert dns.ip_lookups == 0
    data = post(client, body(recipients=external, basis="address_and_ip")).json()
    assert dns.ip_lookups == 1
    settings = {x["field"]: x["value"] for x in data["accounts"][0]["steps"][0]["settings"]}
    assert settings["Source IP Ranges (n.n.n.n/x)"] == ", ".join(EXPECTED)
    resolved = datetime.fromisoformat(data["platform"]["ips_resolved_at"])
    assert abs(timezone.now() - resolved) < timedelta(minutes=5)  # resolved for this request
    assert data["platform"]["ips_stale"] is False


def test_it_offers_the_spf_bypass_when_dns_says_spf_authorises_the_platform(
    client: Client, dns
) -> None:
    own = {
        "mode": "sending_domain",
        "from_addresses": ["surveys@ownorg.example"],
        "unique_links": False,
    }
    recipients = [{"organisation": "Own Org", "domains": ["ownorg.example"], "gateway": None}]
    data = post(client, body(sending=own, recipients=recipients)).json()
    assert dns.fact_lookups == ["ownorg.example"]
    steps = data["accounts"][0]["steps"]
    assert [s["policy"] for s in steps] == [
        "permitted_senders",
        "anti_spoofing_bypass",
        "anti_spoofing_spf_bypass",
        "verify",
    ]
    assert steps[2]["optional"] is True  # beside the IP-scoped exception


def test_it_offers_the_url_protection_bypass_unless_told_links_are_not_unique(
    client: Client, dns
) -> None:
    sending = {"mode": "verified_address", "from_addresses": ["hr@mc-de.gateways.example"]}
    external = [{"organisation": "P", "domains": ["partnerorg.example"], "gateway": "mimecast"}]
    steps = post(client, body(sending=sending, recipients=external)).json()["accounts"][0]["steps"]
    assert [s["policy"] for s in steps] == ["permitted_senders", "url_protection_bypass", "verify"]
    assert steps[1]["settings"][1]["value"] == "Disable URL Protection"
    without = {**sending, "unique_links": False}
    steps = post(client, body(sending=without, recipients=external)).json()["accounts"][0]["steps"]
    assert [s["policy"] for s in steps] == ["permitted_senders", "verify"]
    bad = post(client, body(sending={**sending, "unique_links": "yes"}, recipients=external))
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"sending.unique_links": ["Must be true or false."]}


def test_it_gives_allow_rules_for_mimecast_email_security_api(client: Client, dns) -> None:
    sending = {
        "mode": "verified_address",
        "from_addresses": ["hr@mc-de.gateways.example"],
        "unique_links": False,
    }
    api = [{"organisation": "P", "domains": ["partnerorg.example"], "gateway": "mimecast_api"}]
    (account,) = post(client, body(sending=sending, recipients=api)).json()["accounts"]
    assert account["gateway"]["label"] == "Mimecast Email Security – API"
    assert account["gateway"]["mimecast_api"] is True
    # §10: the API deployment protects a Microsoft 365 tenant, whose own steps follow.
    assert [s["policy"] for s in account["steps"]] == [
        "allow_rule",
        "m365_sender_allow",
        "m365_mail_flow_rule",
        "m365_message_trace",
    ]
    assert account["steps"][0]["settings"] == [
        {"field": "Sender address", "value": "hr@mc-de.gateways.example", "inferred": True}
    ]


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (b"{not json", "__all__"),
        (b"\xff\xfe", "__all__"),
        (b"[1, 2]", "__all__"),
        (b'"text"', "__all__"),
        (b"[" * 5000 + b"]" * 5000, "__all__"),
        (body(sending=None), "sending"),
        (body(sending="x"), "sending"),
        (body(sending={"mode": "carrier_pigeon"}), "sending.mode"),
        (body(sending={"mode": "unverified_address"}), "sending.customer_address"),
        (
            body(sending={"mode": "unverified_address", "customer_address": "not-an-address"}),
            "sending.customer_address",
        ),
        (body(sending={"mode": "verified_address"}), "sending.from_addresses"),
        (
            body(sending={"mode": "verified_address", "from_addresses": "a@b.example"}),
            "sending.from_addresses",
        ),
        (
            body(sending={"mode": "verified_address", "from_addresses": ["ok@b.example", "bad@"]}),
            "sending.from_addresses.1",
        ),
        (
            body(sending={"mode": "verified_address", "from_addresses": ["a@b.example", 7]}),
            "sending.from_addresses.1",
        ),
        (
            body(
                sending={
                    "mode": "verified_address",
                    "from_addresses": ["a@b.example"],
                    "display_name": "a\r\nBcc: x",
                }
            ),
            "sending.display_name",
        ),
        (body(recipients=[]), "recipients"),
        (body(recipients="a.example"), "recipients"),
        (body(recipients=["a.example"]), "recipients.0"),
        (body(recipients=[{"domains": []}]), "recipients.0.domains"),
        (body(recipients=[{"domains": ["a.example", "not a domain"]}]), "recipients.0.domains.1"),
        (body(recipients=[{"domains": ["a.example", "-x.example"]}]), "recipients.0.domains.1"),
        (body(recipients=[{"domains": ["a.example"], "bulk": "yes"}]), "recipients.0.bulk"),
        (
            body(recipients=[{"domains": ["a.example"], "organisation": 5}]),
            "recipients.0.organisation",
        ),
        (body(recipients=[{"domains": ["a.example"], "gateway": 5}]), "recipients.0.gateway"),
        (
            body(recipients=[{"domains": ["a.example"], "gateway": "mimecast", "region": "mars"}]),
            "recipients.0.region",
        ),
        (
            body(
                recipients=[
                    {"domains": ["a.example"], "gateway": {"name": "google", "region": "eu"}}
                ]
            ),
            "recipients.0.gateway.region",
        ),
        (body(basis="vibes"), "basis"),
        (body(basis=1), "basis"),
        (
            body(recipients=[{"domains": ["a.example"]} for _ in range(51)]),
            "recipients",
        ),
        (
            body(recipients=[{"domains": [f"d{i}.example" for i in range(21)]}]),
            "recipients.0.domains",
        ),
    ],
)
def test_it_rejects_malformed_bodies_with_the_path_at_fault(
    client: Client, dns, data, path
) -> None:
    response = post(client, data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert path in errors, errors
    assert all(isinstance(m, str) and m for m in errors[path])


def test_it_names_the_limits_when_they_are_exceeded(client: Client, dns) -> None:
    many = body(recipients=[{"domains": ["a.example"]} for _ in range(51)])
    assert "At most 50 recipient accounts" in post(client, many).json()["errors"]["recipients"][0]
    wide = body(recipients=[{"domains": [f"d{i}.example" for i in range(21)]}])
    message = post(client, wide).json()["errors"]["recipients.0.domains"][0]
    assert "At most 20 domains" in message


def test_it_refuses_bodies_over_the_size_limit(client: Client, dns, settings) -> None:
    settings.API_MAX_BODY_BYTES = 1024
    response = post(client, body(sending={"mode": "verified_address", "display_name": "x" * 2000}))
    assert response.status_code == 413
    assert "1024 bytes" in response.json()["errors"]["__all__"][0]


def test_it_accepts_only_post(client: Client, dns) -> None:
    response = client.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {"errors": {"__all__": ["Use POST with a JSON body."]}}


def test_it_needs_no_csrf_token(csrf_client: Client, dns) -> None:
    assert post(csrf_client, body()).status_code == 200


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_it_refuses_a_body_that_is_not_declared_json(
    client: Client, dns, content_type: str
) -> None:
    # The kinds of post another site's page can send without asking first (no preflight).
    response = client.post(URL, json.dumps(body()), content_type=content_type)
    assert response.status_code == 415
    assert response.json()["errors"]["__all__"] == [
        "The body must be JSON (Content-Type: application/json)."
    ]


def test_it_reads_a_chunked_body(dns) -> None:
    raw = json.dumps(body()).encode()
    request = RequestFactory().generic(
        "POST", URL, b"-", content_type="application/json", HTTP_TRANSFER_ENCODING="chunked"
    )
    request.META.pop("CONTENT_LENGTH", None)
    request.META["wsgi.input"] = io.BytesIO(raw)  # gunicorn hands the decoded chunks over
    response = plan(request)
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["accounts"]


def test_it_refuses_a_chunked_body_over_the_limit(dns, settings) -> None:
    settings.API_MAX_BODY_BYTES = 1024
    request = RequestFactory().generic(
        "POST", URL, b"-", content_type="application/json", HTTP_TRANSFER_ENCODING="chunked"
    )
    request.META.pop("CONTENT_LENGTH", None)
    request.META["wsgi.input"] = io.BytesIO(b" " * 2000)
    assert plan(request).status_code == 413
