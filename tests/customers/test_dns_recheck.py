import pytest

from apps.customers import dnsfacts, services
from apps.customers.models import CustomerProfile, RecipientDomain
from tests.customers.factories import make_account, make_complete_profile

pytestmark = pytest.mark.django_db


def test_it_stores_gateways_and_the_sending_domain_report(test_dns: object) -> None:
    profile = make_complete_profile()
    make_account(profile, organisation="M365", domains=["m365org.example"])
    services.dns_recheck(profile=profile)
    rows = {row.domain: row for row in RecipientDomain.objects.all()}
    assert (rows["ownorg.example"].gateway, rows["ownorg.example"].region) == ("mimecast", "eu")
    assert dnsfacts.badge(rows["ownorg.example"]).text == "Mimecast · Europe"
    assert dnsfacts.badge(rows["partnerorg.example"]).text == "Mimecast · United States"
    assert rows["m365org.example"].gateway == "microsoft365"
    assert all(row.checked_at for row in rows.values())
    profile.refresh_from_db()
    assert profile.sending_domain_report["domain"] == "ownorg.example"
    assert profile.sending_domain_report["spf"]["status"] == "ok"
    assert profile.sending_domain_checked_at is not None


def test_it_never_raises_when_dns_is_silent(silent_dns: int) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    row = RecipientDomain.objects.get(domain="partnerorg.example")
    assert row.gateway == ""
    assert (row.status, dnsfacts.badge(row).text) == ("error", "couldn't check (timeout)")
    assert row.checked_at is not None


def test_it_records_each_dns_check_in_the_history(test_dns: object) -> None:
    profile = make_complete_profile()
    services.dns_recheck(profile=profile)
    row = RecipientDomain.objects.get(domain="partnerorg.example")
    reasons = list(
        row.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["Who receives: added", "DNS checked"]


def test_a_report_for_a_domain_the_customer_has_since_changed_is_not_stored(
    test_dns: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = make_complete_profile()  # sending as surveys@ownorg.example
    real_check_all = dnsfacts.check_all

    def customer_changes_domain_meanwhile(domains: list[str], sending: str) -> object:
        results = real_check_all(domains, sending)
        services.sending_identity_set(
            profile=CustomerProfile.objects.get(pk=profile.pk),
            mode="sending_domain",
            from_addresses=["surveys@partnerorg.example"],
            display_name="Own Org surveys",
            customer_address="luke@ownorg.example",
        )
        return results

    monkeypatch.setattr(dnsfacts, "check_all", customer_changes_domain_meanwhile)
    services.dns_recheck(profile=profile)
    profile.refresh_from_db()
    assert (profile.sending_domain_report or {}).get("domain") != "ownorg.example"
    # The recipient domains are still the same, so their findings are stored.
    assert RecipientDomain.objects.get(domain="partnerorg.example").checked_at is not None
