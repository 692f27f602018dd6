"""Gateway and region of recipient domains, against the real test DNS server (tests/dns/zones)."""

import pytest

from apps.dnscheck import facade
from apps.dnscheck.types import DomainStatus
from apps.policies import gateways

pytestmark = pytest.mark.usefixtures("test_dns")

GW = "gateways.example"


@pytest.mark.parametrize(
    ("label", "region", "region_label"),
    [
        ("mc-eu", "eu", "Europe"),
        ("mc-de", "de", "Germany"),
        ("mc-us", "us", "United States"),
        ("mc-usb", "usb", "United States (B grid)"),
        ("mc-au", "au", "Australia"),
        ("mc-ca", "ca", "Canada"),
        ("mc-za", "za", "South Africa"),
        ("mc-je", "je", "Offshore (Jersey)"),
    ],
)
def test_it_detects_each_mimecast_region(label: str, region: str, region_label: str) -> None:
    check = facade.check_recipient_domain(f"{label}.{GW}")
    assert check.status is DomainStatus.GATEWAY
    assert (check.gateway, check.region, check.region_label) == ("mimecast", region, region_label)
    assert check.badge == f"Mimecast · {region_label}"
    assert check.evidence and all("mimecast" in host for host in check.evidence)


def test_it_maps_regions_to_their_admin_console() -> None:
    checks = facade.check_recipient_domains([f"mc-eu.{GW}", f"mc-je.{GW}", f"mc-usb.{GW}"])
    assert checks[f"mc-eu.{GW}"].console == "login-eu.mimecast.com"
    assert checks[f"mc-je.{GW}"].console == "login-jer.mimecast.com"
    # §6 [S86]: Mimecast lists login-usb among its login hosts; the same table as the plans.
    assert checks[f"mc-usb.{GW}"].console == "login-usb.mimecast.com"


@pytest.mark.parametrize(
    ("label", "gateway"),
    [
        ("proofpoint", "proofpoint"),
        ("proofpoint-ppe", "proofpoint"),
        ("m365", "microsoft365"),
        ("google", "google"),
        ("google-legacy", "google"),
        ("google-smtp", "google"),
        ("barracuda", "barracuda"),
        ("sophos", "sophos"),
        ("broadcom", "broadcom"),
        ("trendmicro", "trendmicro"),
        ("trendmicro-eu", "trendmicro"),
        ("forcepoint", "forcepoint"),
        ("cisco", "cisco"),
        ("cloudflare", "cloudflare"),
    ],
)
def test_it_detects_other_gateways_and_names_them_in_the_badge(label: str, gateway: str) -> None:
    check = facade.check_recipient_domain(f"{label}.{GW}")
    assert check.gateway == gateway
    assert check.region is None
    assert check.badge == gateways.label(gateway)  # each now gets steps of its own
    assert "Mimecast steps" not in check.badge


def test_it_reports_the_gateway_in_front_of_microsoft_365_and_mentions_it() -> None:
    check = facade.check_recipient_domain(f"mc-m365.{GW}")
    assert (check.gateway, check.region) == ("mimecast", "eu")
    assert check.also_seen == ("microsoft365",)
    assert "also list Microsoft 365: a secondary MX that lets senders skip Mimecast" in (
        check.message
    )
    assert "goes on to" not in check.message
    assert check.evidence[0] == "eu-smtp-inbound-1.mimecast.com"


def test_it_orders_evidence_by_preference_lowest_first() -> None:
    check = facade.check_recipient_domain(f"mc-order.{GW}")
    assert check.evidence == ("us-smtp-inbound-2.mimecast.com", f"backup.mc-order.{GW}")
    assert check.region == "us"


def test_it_says_when_mx_hosts_span_several_mimecast_regions() -> None:
    check = facade.check_recipient_domain(f"mc-mixed.{GW}")
    assert check.region == "eu"
    assert "several Mimecast regions" in check.message


def test_it_matches_suffixes_on_a_dot_boundary_only() -> None:
    check = facade.check_recipient_domain(f"lookalike.{GW}")
    assert check.status is DomainStatus.UNKNOWN
    assert check.gateway is None
    assert len(check.evidence) == 3


def test_it_accepts_upper_case_and_a_trailing_dot() -> None:
    for spelling in ("OWNORG.EXAMPLE.", f"mc-upper.{GW}".upper()):
        check = facade.check_recipient_domain(spelling)
        assert (check.gateway, check.region) == ("mimecast", "eu")


def test_it_accepts_internationalised_domains() -> None:
    check = facade.check_recipient_domain("Bücher.example")
    assert check.domain == "xn--bcher-kva.example"
    assert check.display_domain == "bücher.example"
    assert check.badge == "Mimecast · Europe"


def test_it_follows_cname_chains() -> None:
    check = facade.check_recipient_domain(f"alias.{GW}")
    assert (check.gateway, check.region) == ("mimecast", "au")


def test_it_reports_a_cname_loop_as_a_check_failure() -> None:
    check = facade.check_recipient_domain(f"loop1.{GW}")
    assert check.status is DomainStatus.ERROR
    assert "loop" in check.message


def test_it_falls_back_to_address_records_without_mx() -> None:
    check = facade.check_recipient_domain(f"no-mx.{GW}")
    assert check.status is DomainStatus.NO_MX
    assert check.gateway is None
    assert check.badge == "no gateway found"
    assert "192.0.2.10" in check.evidence


def test_it_recognises_a_null_mx() -> None:
    check = facade.check_recipient_domain(f"null-mx.{GW}")
    assert check.status is DomainStatus.NULL_MX
    assert "accepts no email" in check.message
    assert check.cannot_receive


def test_it_says_when_a_domain_has_no_mail_records_at_all() -> None:
    assert facade.check_recipient_domain(f"empty.{GW}").status is DomainStatus.NO_MAIL


def test_it_says_when_a_domain_does_not_exist() -> None:
    check = facade.check_recipient_domain("missing.gateways.example")
    assert check.status is DomainStatus.NOT_FOUND
    assert check.badge == "can't receive email"
    assert "check the spelling" in check.message


def test_it_rejects_an_invalid_domain_without_asking_dns() -> None:
    check = facade.check_recipient_domain("not a domain")
    assert check.status is DomainStatus.INVALID
    assert check.badge == "not a valid domain" and check.dns_status == "invalid"


def test_it_keys_results_by_the_domains_as_given() -> None:
    checks = facade.check_recipient_domains(["ownorg.example", "Partnerorg.Example"])
    assert set(checks) == {"ownorg.example", "Partnerorg.Example"}
    assert checks["Partnerorg.Example"].region == "us"
    assert facade.check_recipient_domain("m365org.example").gateway == "microsoft365"


def test_detect_gateways_gives_one_answer_per_account() -> None:
    infos = facade.detect_gateways([["ownorg.example"], ["m365org.example"], []])
    assert [(i.name, i.region) for i in infos] == [
        ("mimecast", "eu"),
        ("microsoft365", None),
        (None, None),
    ]
    assert infos[0].evidence == ("eu-smtp-inbound-1.mimecast.com", "eu-smtp-inbound-2.mimecast.com")


def test_detect_gateways_prefers_mimecast_and_says_when_domains_disagree() -> None:
    [info] = facade.detect_gateways([["m365org.example", "partnerorg.example"]])
    assert (info.name, info.region) == ("mimecast", "us")
    assert "disagree" in info.detail
    assert "m365org.example" in info.detail


def test_detect_gateways_reports_failures_as_unknown_with_a_reason() -> None:
    [info] = facade.detect_gateways([["broken.example"]])
    assert info.name is None
    assert "SERVFAIL" in info.detail


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("gmial.com", "gmail.com"), ("hotmial.com", "hotmail.com"), ("example.con", "example.com")],
)
def test_it_flags_an_obvious_typo_without_asking_dns(typed: str, meant: str) -> None:
    check = facade.check_recipient_domain(typed)
    assert check.status is DomainStatus.TYPO
    assert check.cannot_receive
    assert check.badge == "can't receive email"
    assert f"check the spelling (did you mean {meant}?)" in check.message


def test_a_real_dns_failure_is_still_couldnt_check() -> None:
    check = facade.check_recipient_domain("anything.broken.example")
    assert check.status is DomainStatus.ERROR
    assert not check.cannot_receive
    assert check.badge.startswith("couldn't check")


def test_an_account_whose_domains_take_no_mail_gets_no_gateway() -> None:
    (info,) = facade.detect_gateways([[f"null-mx.{GW}", "gmial.com"]])
    assert info.receives_mail is False
    (fine,) = facade.detect_gateways([[f"null-mx.{GW}", f"mc-eu.{GW}"]])
    assert fine.receives_mail is True and fine.name == "mimecast"
