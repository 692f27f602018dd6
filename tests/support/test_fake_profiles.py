"""`generate_fake_profiles`: made-up customers that look like the app's own data, so demos and
the search benchmark run on profiles the app could have made."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.customers import dnsfacts, selectors
from apps.customers.models import CustomerProfile, RecipientDomain, SendingMode

pytestmark = pytest.mark.django_db


def _generate(count: int, *args: str) -> str:
    out = StringIO()
    call_command("generate_fake_profiles", str(count), *args, stdout=out)
    return out.getvalue()


def test_it_creates_the_profiles_asked_for_and_says_so() -> None:
    output = _generate(40, "--seed", "7", "--history-sample", "5")
    assert CustomerProfile.objects.count() == 40
    assert "40" in output
    # Every domain is made up: nothing under a real top-level domain.
    domains = RecipientDomain.objects.values_list("domain", flat=True)
    assert domains and all(d.endswith(".example") for d in domains)
    assert all(p.recipient_accounts.exists() for p in CustomerProfile.objects.all())


def test_the_same_seed_gives_the_same_profiles() -> None:
    _generate(10, "--seed", "3", "--history-sample", "0")
    first = sorted(CustomerProfile.objects.values_list("organisation", "contact_email"))
    CustomerProfile.objects.all().delete()
    _generate(10, "--seed", "3", "--history-sample", "0")
    assert sorted(CustomerProfile.objects.values_list("organisation", "contact_email")) == first


def test_a_fake_sending_domain_report_reads_back_like_a_real_one() -> None:
    _generate(60, "--seed", "11", "--history-sample", "0")
    own = CustomerProfile.objects.filter(sending_mode=SendingMode.SENDING_DOMAIN)
    assert own.exists()
    for profile in own:
        report = dnsfacts.stored_report(profile)
        assert report is not None
        assert report.domain == selectors.sending_domain(profile)
        # The stored shape the app writes (report_dict): the SPF record survives the round trip.
        assert report.spf.record.startswith("v=spf1 ")
        authorised = "include:spf.ssmx.net" in report.spf.record
        assert report.spf_authorises_platform is authorised
