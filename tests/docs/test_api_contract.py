"""docs/api.md's table of answer fields is the API's contract: every field a real answer has is
documented there, and every documented field is in a real answer."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_dns")]

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
FIELD_ROW = re.compile(r"^\| `([a-z_\[\].]+)` \|", re.MULTILINE)


def documented_fields() -> set[str]:
    """The first column of the "Answer fields" table."""
    text = API_DOC.read_text()
    section = text.split("## Answer fields", 1)[1].split("\n## ", 1)[0]
    return set(FIELD_ROW.findall(section))


def answer_fields(value: Any, prefix: str = "") -> set[str]:
    """Every key path in a JSON value: `a.b` for objects, `a[].b` for a list of objects."""
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            paths |= answer_fields(item, path)
    elif isinstance(value, list):
        for item in value:
            paths |= answer_fields(item, f"{prefix}[]")
    return paths


def plan_answer(client: Client, **overrides: Any) -> dict[str, Any]:
    body = {
        "sending": {
            "mode": "sending_domain",
            "from_addresses": ["surveys@ownorg.example"],
            "display_name": "Own Org surveys",
        },
        "basis": "address_and_ip",
        "recipients": [
            {"organisation": "Partner Org", "domains": ["partnerorg.example"], "bulk": True},
            {"organisation": "M365 Org", "domains": ["m365org.example"], "gateway": None},
        ],
        **overrides,
    }
    cache.clear()  # a fresh rate-limit counter
    response = client.post("/api/v1/plan", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_table_parses_into_fields() -> None:
    fields = documented_fields()
    assert {"accounts", "accounts[].steps[].settings[].field", "inferred"} <= fields
    assert len(fields) > 50


def test_every_field_of_a_real_answer_is_documented_and_every_documented_one_is_there(
    client: Client,
) -> None:
    answer = plan_answer(client)
    # Every list of objects has items, so their fields are all seen.
    assert all(account["steps"] for account in answer["accounts"])
    assert answer["accounts"][0]["whitelist_addresses_display"]
    real = answer_fields(answer)
    documented = documented_fields()
    assert real - documented == set(), "answer fields missing from docs/api.md"
    assert documented - real == set(), "documented fields no answer has"
