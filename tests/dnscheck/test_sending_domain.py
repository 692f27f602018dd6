"""The customer's sending domain: SPF, DMARC and DKIM, against the real test server."""

from typing import Any

import pytest

from apps.dnscheck import facade, snapshots
from apps.dnscheck.types import CheckStatus
from apps.policies.types import PlatformInfo
from apps.sending.selectors import platform_info

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_dns")]


def make_platform(**overrides: Any) -> PlatformInfo:
    values: dict[str, Any] = {
        "name": "SmartSurvey",
        "shared_address": "member@smartsurveyuser.com",
        "spf_include": "spf.ssmx.net",
        "server_hostnames": ("ms1.ssmx.net", "ms7.ssmx.net", "ms8.ssmx.net"),
        "dkim_selectors": ("ss1",),
    }
    values.update(overrides)
    return PlatformInfo(**values)


def test_it_finds_the_platform_include() -> None:
    report = facade.check_sending_domain("good.spf.example", make_platform())
    assert report.spf.status is CheckStatus.OK
    assert report.spf_authorises_platform is True
    assert report.spf.record == "v=spf1 ip4:203.0.113.0/24 include:spf.ssmx.net -all"
    assert "includes spf.ssmx.net" in report.spf.message
    assert report.spf_dns_lookups == 4


def test_it_finds_the_include_inside_a_nested_include() -> None:
    report = facade.check_sending_domain("nested.spf.example", make_platform())
    assert report.spf_authorises_platform is True


def test_it_accepts_ranges_that_pass_for_every_platform_address() -> None:
    snapshots.refresh(platform_info())  # the IPs are judged against the stored snapshot
    report = facade.check_sending_domain("ranges.spf.example", make_platform())
    assert report.spf_authorises_platform is True
    assert report.spf.status is CheckStatus.OK
    assert report.spf.missing == ("include:spf.ssmx.net",)


def test_it_says_what_is_missing_when_only_some_addresses_pass() -> None:
    snapshots.refresh(platform_info())  # the IPs are judged against the stored snapshot
    report = facade.check_sending_domain("partial.spf.example", make_platform())
    assert report.spf_authorises_platform is False
    assert report.spf.status is CheckStatus.WARNING
    assert report.spf.missing == ("include:spf.ssmx.net",)
    assert "does not authorise SmartSurvey" in report.spf.message
    assert any("does not pass" in note for note in report.spf.notes)


def test_it_reports_a_missing_spf_record() -> None:
    report = facade.check_sending_domain("nospf.spf.example", make_platform())
    assert report.spf.status is CheckStatus.MISSING
    # No record authorises nothing: known, not "couldn't check" (issue 12 item 8).
    assert report.spf_authorises_platform is False
    assert "v=spf1 include:spf.ssmx.net ~all" in report.spf.message


def test_it_rejects_more_than_one_spf_record() -> None:
    report = facade.check_sending_domain("multi.spf.example", make_platform())
    assert report.spf.status is CheckStatus.INVALID
    assert report.spf_authorises_platform is False
    assert "2 SPF records" in report.spf.message
    assert len(report.spf.record.splitlines()) == 2


def test_it_reports_an_spf_syntax_error() -> None:
    report = facade.check_sending_domain("badsyntax.spf.example", make_platform())
    assert report.spf.status is CheckStatus.INVALID
    assert "999.1.1.1" in report.spf.message


def test_it_enforces_the_ten_lookup_limit() -> None:
    report = facade.check_sending_domain("toomany.spf.example", make_platform())
    assert report.spf.status is CheckStatus.INVALID
    assert report.spf_dns_lookups == 12
    assert "limit is 10" in report.spf.message
    assert report.spf_authorises_platform is False


def test_it_enforces_the_two_void_lookup_limit() -> None:
    report = facade.check_sending_domain("void.spf.example", make_platform())
    assert report.spf.status is CheckStatus.INVALID
    assert report.spf_void_lookups == 3
    assert "void" in report.spf.message


def test_it_reads_a_long_record_split_into_strings() -> None:
    report = facade.check_sending_domain("long.spf.example", make_platform())
    assert report.spf_authorises_platform is True
    assert "ip4:203.0.113.15 ip4:203.0.113.16" in report.spf.record


def test_it_reads_an_answer_that_needs_tcp() -> None:
    report = facade.check_sending_domain("big.spf.example", make_platform())
    assert report.spf_authorises_platform is True


def test_it_finds_dmarc_at_the_domain_itself() -> None:
    report = facade.check_sending_domain("ownorg.example", make_platform())
    assert report.dmarc_policy == "none"
    assert report.dmarc.record == "v=DMARC1; p=none"
    assert report.dmarc.location == "_dmarc.ownorg.example"
    assert report.spf_authorises_platform is True


def test_it_falls_back_to_the_organisational_domains_dmarc() -> None:
    report = facade.check_sending_domain("good.spf.example", make_platform())
    assert report.dmarc.status is CheckStatus.OK
    assert report.dmarc_policy == "reject"
    assert report.dmarc.location == "_dmarc.spf.example"
    assert "organisational domain" in report.dmarc.message


def test_it_prefers_a_subdomains_own_dmarc_record() -> None:
    report = facade.check_sending_domain("nested.spf.example", make_platform())
    assert report.dmarc_policy == "quarantine"


def test_it_reports_a_broken_dmarc_record() -> None:
    report = facade.check_sending_domain("baddmarc.spf.example", make_platform())
    assert report.dmarc.status is CheckStatus.INVALID
    assert report.dmarc_policy == ""


def test_it_reports_a_missing_dmarc_record() -> None:
    report = facade.check_sending_domain("partnerorg.example", make_platform())
    assert report.dmarc.status is CheckStatus.MISSING


def test_it_finds_the_platforms_dkim_selector() -> None:
    report = facade.check_sending_domain("good.spf.example", make_platform())
    assert report.dkim.status is CheckStatus.OK
    assert report.dkim_selectors_found == ("ss1",)
    assert "v=DKIM1" in report.dkim.record


def test_it_names_the_missing_dkim_record() -> None:
    report = facade.check_sending_domain("ownorg.example", make_platform())
    assert report.dkim.status is CheckStatus.MISSING
    assert report.dkim.missing == ("ss1._domainkey.ownorg.example",)


def test_it_does_not_guess_dkim_without_the_platforms_selectors() -> None:
    report = facade.check_sending_domain("good.spf.example", make_platform(dkim_selectors=()))
    assert report.dkim.status is CheckStatus.UNKNOWN


def test_sending_domain_facts_carries_the_generators_values() -> None:
    facts = facade.sending_domain_facts("good.spf.example", make_platform())
    assert facts.domain == "good.spf.example"
    assert facts.spf_authorises_platform is True
    assert facts.spf_record.startswith("v=spf1")
    assert facts.dmarc_policy == "reject"
    assert facts.dkim_selectors_found == ("ss1",)


def test_it_says_it_could_not_check_when_dns_fails(settings: Any, silent_dns: int) -> None:
    settings.DNS_TIMEOUT = 0.2
    settings.DNS_DEADLINE = 0.6
    report = facade.check_sending_domain("good.spf.example", make_platform())
    for part in (report.spf, report.dmarc, report.dkim):
        assert part.status is CheckStatus.UNKNOWN
        assert part.message.startswith("Couldn't check")
    assert report.spf_authorises_platform is None


def test_it_reports_an_invalid_domain() -> None:
    report = facade.check_sending_domain("not a domain", make_platform())
    assert report.spf.status is CheckStatus.INVALID
