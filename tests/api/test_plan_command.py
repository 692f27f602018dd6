"""The `plan` command: the API's request from a file, its plan on stdout, the real DNS checks
behind it (the test server)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

REQUEST = {
    "sending": {"mode": "verified_address", "from_addresses": ["hr@mc-de.gateways.example"]},
    "recipients": [{"organisation": "Partner", "domains": ["partnerorg.example"], "gateway": None}],
}


def _run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("plan", str(path), *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_plan_as_json(tmp_path: Path, dns) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(REQUEST))
    data = json.loads(_run(path))
    assert data["accounts"][0]["whitelist_addresses"] == ["hr@mc-de.gateways.example"]
    assert dns.detected == [["partnerorg.example"]]


def test_it_prints_the_plan_as_text(tmp_path: Path, dns) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(REQUEST))
    text = _run(path, "--format", "text")
    assert "Permitted Senders" in text
    assert "hr@mc-de.gateways.example" in text


def test_it_reports_invalid_requests_by_path(tmp_path: Path, dns) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({**REQUEST, "basis": "nope"}))
    with pytest.raises(CommandError, match="basis: Must be one of"):
        _run(path)


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        _run(tmp_path / "missing.json")
