from __future__ import annotations

import json

from apps.policies.generator import build_plan
from apps.policies.serialize import plan_to_dict
from apps.policies.types import Basis, GatewayInfo
from tests.policies.factories import account, ips, request, unverified, verified


def _plans():
    yield build_plan(
        request(
            unverified("luke@customer.example"),
            account("customer.example", bulk=True),
            account("other.example", gateway=GatewayInfo(name="google")),
            basis=Basis.ADDRESS_AND_IP,
            platform_ips=ips("192.0.2.10", stale=True),
        )
    )
    yield build_plan(request(verified("Surveys@Bücher.example")))


def test_every_plan_is_plain_json_with_every_account_and_step() -> None:
    for plan in _plans():
        data = plan_to_dict(plan)
        assert json.loads(json.dumps(data)) == data  # nothing JSON would turn into something else
        assert [a["ref"] for a in data["accounts"]] == [a.ref for a in plan.accounts]
        assert [[s["key"] for s in a["steps"]] for a in data["accounts"]] == [
            [s.key for s in a.steps] for a in plan.accounts
        ]


def test_it_writes_datetimes_as_iso_8601_and_enums_as_their_ids() -> None:
    data = plan_to_dict(next(_plans()))
    assert data["generated_at"] == "2026-11-02T09:30:00+00:00"
    assert data["platform"]["ips_resolved_at"] == "2026-11-02T09:30:00+00:00"
    assert data["basis"] == "address_and_ip"
    assert data["mode"] == "unverified_address"
    assert data["accounts"][0]["steps"][0]["policy"] == "permitted_senders"


def test_it_lists_ascii_addresses_with_their_unicode_forms_beside_them() -> None:
    data = plan_to_dict(build_plan(request(verified("Surveys@Bücher.example"))))
    (account_data,) = data["accounts"]
    assert account_data["whitelist_addresses"] == ["surveys@xn--bcher-kva.example"]
    assert account_data["whitelist_addresses_display"] == [
        {"address": "surveys@xn--bcher-kva.example", "display": "surveys@bücher.example"}
    ]
