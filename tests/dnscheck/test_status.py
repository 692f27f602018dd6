"""One status vocabulary for every DNS fact, and what the customer's own domain must publish
(issue 12, item 8)."""

import pytest

from apps.dnscheck import facade, snapshots, status
from apps.dnscheck.facts import report_to_dict as report_dict
from apps.dnscheck.types import CheckStatus, DomainStatus
from apps.policies.types import PlatformIPs
from apps.sending.selectors import platform_info
from tests.dnscheck.test_sending_domain import make_platform

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_dns")]


def test_each_status_has_one_label_and_one_tone() -> None:
    assert [status.label(s) for s in CheckStatus] == [
        "OK",
        "needs a change",
        "missing",
        "has a problem",
        "couldn't check",
    ]
    assert status.label("missing") == "missing"
    assert status.label("garbage") == "couldn't check"
    assert status.tone(CheckStatus.MISSING) == "danger"


def test_gateway_and_platform_ip_facts_use_the_same_words() -> None:
    assert status.domain_status(DomainStatus.GATEWAY) is CheckStatus.OK
    assert status.domain_status(DomainStatus.NULL_MX) is CheckStatus.MISSING
    assert status.domain_status(DomainStatus.ERROR) is CheckStatus.UNKNOWN
    assert status.ips_status(PlatformIPs()) is CheckStatus.UNKNOWN
    assert status.ips_status(PlatformIPs(ranges=("192.0.2.0/24",), stale=True)) is (
        CheckStatus.WARNING
    )


def _actions(domain: str) -> list[status.Action]:
    snapshots.refresh(platform_info())  # SPF is judged against the stored IP snapshot
    platform = make_platform()
    return status.sending_actions(
        report_dict(facade.check_sending_domain(domain, platform)), platform
    )


def test_a_domain_without_spf_is_told_the_exact_record_to_publish() -> None:
    facts = status.sending_facts(
        report_dict(facade.check_sending_domain("nospf.spf.example", make_platform()))
    )
    assert (facts[0].name, facts[0].status_label) == ("SPF", "missing")
    spf = _actions("nospf.spf.example")[0]
    assert spf.fact.name == "SPF"
    assert spf.name == "nospf.spf.example"
    assert spf.value == "v=spf1 include:spf.ssmx.net ~all"


def test_an_spf_record_without_the_platform_is_told_what_to_add() -> None:
    spf = _actions("partial.spf.example")[0]
    assert spf.fact.status is CheckStatus.WARNING
    assert spf.value == "include:spf.ssmx.net"


def test_a_missing_dkim_key_names_where_to_publish_it() -> None:
    dkim = [a for a in _actions("partial.spf.example") if a.fact.name == "DKIM"]
    assert [a.name for a in dkim] == ["ss1._domainkey.partial.spf.example"]


def test_a_domain_with_everything_in_place_has_nothing_to_do() -> None:
    assert _actions("good.spf.example") == []


def test_a_check_that_failed_is_not_turned_into_a_change_to_make() -> None:
    report = {"domain": "x.example", **{k: {"status": "unknown"} for k in ("spf", "dkim", "dmarc")}}
    assert status.sending_actions(report, make_platform()) == []


def test_a_domain_without_dmarc_is_told_the_record_and_where_to_publish_it() -> None:
    report = {
        "domain": "x.example",
        "spf": {"status": "ok"},
        "dkim": {"status": "ok"},
        "dmarc": {"status": "missing", "message": "No DMARC record."},
    }
    [dmarc] = status.sending_actions(report, make_platform())
    assert dmarc.fact.name == "DMARC"
    assert (dmarc.name, dmarc.value) == ("_dmarc.x.example", "v=DMARC1; p=none")
