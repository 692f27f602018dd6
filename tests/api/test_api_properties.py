"""Whatever JSON arrives, the API answers 200 or 400 (never 500), and invents no address."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.sending.models import PlatformFacts
from tests.policies.factories import addresses_in_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_settings")]

URL = "/api/v1/plan"
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=4)
    ),
    max_leaves=20,
)

domains = st.sampled_from(
    ["customer.example", "Partner.EXAMPLE", "bücher.example", "x", "-bad.example", "a..b", ""]
)
addresses = st.one_of(
    st.builds(
        lambda local, domain: f"{local}@{domain}", st.sampled_from(["hr", "Luke", "a.b"]), domains
    ),
    st.text(max_size=20),
)
gateways = st.one_of(
    st.none(),
    st.sampled_from(["mimecast", "google", "microsoft365", "BAD NAME", ""]),
    st.fixed_dictionaries(
        {"name": st.sampled_from(["mimecast", "proofpoint"])},
        optional={"region": st.sampled_from(["eu", "us", "je", "mars", None])},
    ),
    st.integers(),
)
recipient = st.fixed_dictionaries(
    {"domains": st.one_of(st.lists(domains, max_size=3), domains)},
    optional={
        "organisation": st.one_of(st.text(max_size=20), st.integers()),
        "gateway": gateways,
        "region": st.sampled_from(["eu", "za", "nowhere"]),
        "bulk": st.one_of(st.booleans(), st.sampled_from(["yes", 1, None])),
        "ref": st.text(max_size=10),
    },
)
good_domains = st.sampled_from(
    ["customer.example", "Partner.EXAMPLE", "bücher.example", "other.example"]
)
good_addresses = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.sampled_from(["hr", "Luke", "a.b", "surveys"]),
    good_domains,
)
plain_text = st.text(st.characters(min_codepoint=32, exclude_categories=["Cs"]), max_size=40)
valid_bodies = st.fixed_dictionaries(
    {
        "sending": st.fixed_dictionaries(
            {
                "mode": st.sampled_from(
                    ["unverified_address", "verified_address", "sending_domain"]
                ),
                "from_addresses": st.lists(good_addresses, min_size=1, max_size=3),
                "customer_address": good_addresses,
            },
            optional={
                "display_name": st.one_of(plain_text, good_addresses),
                "permit_whole_domain": st.booleans(),
            },
        ),
        "recipients": st.lists(
            st.fixed_dictionaries(
                {"domains": st.lists(good_domains, min_size=1, max_size=3)},
                optional={
                    "organisation": plain_text,
                    "gateway": st.sampled_from([None, "mimecast", "google"]),
                    "bulk": st.booleans(),
                },
            ),
            min_size=1,
            max_size=4,
        ),
    },
    optional={"basis": st.sampled_from(["address", "ip", "address_and_ip"])},
)
plan_bodies = st.fixed_dictionaries(
    {
        "sending": st.fixed_dictionaries(
            {
                "mode": st.sampled_from(
                    ["unverified_address", "verified_address", "sending_domain", "other", None]
                )
            },
            optional={
                "from_addresses": st.one_of(st.lists(addresses, max_size=3), addresses),
                "customer_address": addresses,
                "display_name": st.one_of(st.text(max_size=40), addresses),
                "permit_whole_domain": st.booleans(),
            },
        ),
        "recipients": st.lists(recipient, max_size=3),
    },
    optional={"basis": st.sampled_from(["address", "ip", "address_and_ip", "both", 3])},
)


def _post(client: Client, raw: bytes) -> Any:
    return client.post(URL, raw, content_type="application/json")


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES)
@given(value=json_values)
def test_any_json_value_gets_200_or_400(client: Client, fake_dns, value: Any) -> None:
    response = _post(client, json.dumps(value).encode())
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURES)
@given(raw=st.binary(max_size=200))
def test_any_bytes_get_200_or_400(client: Client, fake_dns, raw: bytes) -> None:
    assert _post(client, raw).status_code in (200, 400)


@settings(max_examples=250, deadline=None, suppress_health_check=FIXTURES)
@given(data=plan_bodies)
def test_plan_shaped_bodies_get_200_or_400(client: Client, fake_dns, data: dict[str, Any]) -> None:
    response = _post(client, json.dumps(data).encode())
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["errors"]


@settings(max_examples=250, deadline=None, suppress_health_check=FIXTURES)
@given(data=valid_bodies)
def test_valid_bodies_get_a_plan_that_invents_no_address(
    client: Client, fake_dns, data: dict[str, Any]
) -> None:
    response = _post(client, json.dumps(data).encode())
    assert response.status_code == 200, response.content
    facts = PlatformFacts.objects.get(is_active=True)
    known = {facts.shared_address.lower(), facts.bounce_address.lower()}
    known |= addresses_in_plan(json.dumps(data, ensure_ascii=False))
    # Addresses come back normalised (ASCII domains): accept the IDNA forms of what was sent.
    known |= {a.replace("bücher", "xn--bcher-kva") for a in known}
    answer = response.json()
    assert addresses_in_plan(json.dumps(answer, ensure_ascii=False)) <= known
    assert len(answer["accounts"]) == len(data["recipients"])
