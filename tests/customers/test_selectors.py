import pytest

from apps.customers import selectors, services
from apps.customers.models import PlanRecord
from apps.policies.types import Basis, Mode
from tests.customers.factories import (
    make_account,
    make_complete_profile,
    make_profile,
    make_share_link,
)

pytestmark = pytest.mark.django_db


def test_it_finds_a_profile_only_by_its_own_token() -> None:
    profile = make_profile()
    make_profile(organisation="Someone else")
    assert selectors.profile_by_token(profile.token) == profile
    for token in ("", "nope", str(profile.pk), profile.token[:-1], "x" * 200):
        assert selectors.profile_by_token(token) is None


def test_it_finds_only_active_share_links() -> None:
    profile = make_profile()
    link = make_share_link(profile)
    assert selectors.share_link_by_token(link.token) == link
    services.share_link_revoke(share_link=link)
    assert selectors.share_link_by_token(link.token) is None
    assert selectors.share_link_by_token(profile.token) is None


def test_it_builds_the_plan_request_from_stored_answers_and_dns_facts(test_dns: object) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    request = selectors.plan_request_for_profile(profile)
    assert request.sending.mode is Mode.SENDING_DOMAIN
    assert request.sending.from_addresses == ("surveys@ownorg.example",)
    assert request.basis is Basis.ADDRESS
    own, partner = request.recipients
    assert (own.gateway.name, own.gateway.region) == ("mimecast", "eu")
    assert (partner.gateway.name, partner.gateway.region) == ("mimecast", "us")
    assert own.ref == profile.recipient_accounts.order_by("position")[0].ref
    assert request.sending_domain_facts is not None
    assert request.sending_domain_facts.spf_authorises_platform is True
    assert request.platform.shared_address


def test_it_leaves_the_gateway_unknown_before_any_check() -> None:
    request = selectors.plan_request_for_profile(make_complete_profile())
    assert all(r.gateway.name is None for r in request.recipients)
    assert request.sending_domain_facts is None


def test_it_marks_the_customers_own_domains() -> None:
    profile = make_complete_profile()
    assert selectors.own_domains(profile) == {"ownorg.example"}


def test_it_keeps_a_new_plan_record_only_when_the_content_changes(test_dns: object) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    first = services.plan_record_save(profile=profile, plan=selectors.plan_for_profile(profile))
    again = services.plan_record_save(profile=profile, plan=selectors.plan_for_profile(profile))
    assert first.pk == again.pk
    make_account(profile, organisation="Third", domains=["m365org.example"])
    services.plan_record_save(profile=profile, plan=selectors.plan_for_profile(profile))
    assert PlanRecord.objects.filter(profile=profile).count() == 2
    latest = selectors.latest_plan_record(profile)
    assert latest is not None and latest.pk != first.pk
    assert latest.platform_version


def _record(profile, ranges: list[str]) -> PlanRecord:
    return PlanRecord.objects.create(
        profile=profile, plan={}, fingerprint="x", basis=profile.basis, ip_ranges=ranges
    )


def test_it_finds_profiles_affected_by_an_ip_change() -> None:
    used_removed = make_profile(organisation="Uses old range")
    _record(used_removed, ["192.0.2.0/24"])
    ip_based = make_profile(organisation="IP based")
    services.options_set(profile=ip_based, basis="ip", bulk_refs=set())
    _record(ip_based, ["198.51.100.0/24"])
    address_only = make_profile(organisation="Addresses only")
    _record(address_only, [])
    make_profile(organisation="Never shown a plan")

    affected = selectors.profiles_affected_by_ip_change(
        removed={"192.0.2.0/24"}, added={"203.0.113.0/24"}
    )
    assert {p.organisation for p in affected} == {"Uses old range", "IP based"}
    assert selectors.profiles_affected_by_ip_change(removed=set(), added=set()) == []


def test_it_looks_only_at_the_latest_plan_record() -> None:
    profile = make_profile()
    _record(profile, ["192.0.2.0/24"])
    _record(profile, ["198.51.100.0/24"])
    assert selectors.profiles_affected_by_ip_change(removed={"192.0.2.0/24"}, added=set()) == []


def test_it_lists_checklist_ticks_by_account_and_step() -> None:
    profile = make_complete_profile()
    ref = profile.recipient_accounts.all()[0].ref
    services.checklist_tick_set(profile=profile, account_ref=ref, step_key="k", done=True)
    assert set(selectors.checklist_for_profile(profile)) == {(ref, "k")}
