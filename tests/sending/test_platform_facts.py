import pytest
from django.db import IntegrityError, transaction

from apps.sending.models import PlatformFacts
from apps.sending.selectors import platform_info


@pytest.mark.django_db
def test_the_help_article_values_are_seeded() -> None:
    facts = PlatformFacts.objects.get(is_active=True)
    assert facts.shared_address == "member@smartsurveyuser.com"
    assert facts.server_hostnames == ["ms1.ssmx.net", "ms7.ssmx.net", "ms8.ssmx.net"]
    assert facts.spf_include == "spf.ssmx.net"


@pytest.mark.django_db
def test_only_one_record_can_be_active() -> None:
    facts = PlatformFacts.objects.get(is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlatformFacts.objects.create(
            name="Second", shared_address="x@example.com", spf_include="x.example", is_active=True
        )
    facts.is_active = False
    facts.save()
    PlatformFacts.objects.create(
        name="Second", shared_address="x@example.com", spf_include="x.example", is_active=True
    )
    assert PlatformFacts.objects.get(is_active=True).name == "Second"


@pytest.mark.django_db
def test_admin_changes_are_recorded_in_the_history(admin_client, admin_user) -> None:
    facts = PlatformFacts.objects.get(is_active=True)
    response = admin_client.post(
        f"/admin/sending/platformfacts/{facts.pk}/change/",
        {
            "name": facts.name,
            "shared_address": facts.shared_address,
            "bounce_address": "",
            "server_hostnames": "ms1.ssmx.net\nMS9.ssmx.net",
            "spf_include": facts.spf_include,
            "dkim_selectors": "",
            "support_contact": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    facts.refresh_from_db()
    assert facts.server_hostnames == ["ms1.ssmx.net", "ms9.ssmx.net"]
    latest, seeded = facts.history.all()[:2]
    assert latest.history_user == admin_user
    changes = {change.field: change.new for change in latest.diff_against(seeded).changes}
    assert changes == {"server_hostnames": ["ms1.ssmx.net", "ms9.ssmx.net"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored", "error"),
    [
        ("Bounce.SSMX.net.", "bounce.ssmx.net", ""),
        ("", "", ""),
        ("bounces@ssmx.net", None, "only the domain after the @"),
        ("not a domain!", None, "domain"),
    ],
)
def test_admin_takes_the_envelope_domain_as_a_domain(
    admin_client, typed: str, stored: str | None, error: str
) -> None:
    facts = PlatformFacts.objects.get(is_active=True)
    response = admin_client.post(
        f"/admin/sending/platformfacts/{facts.pk}/change/",
        {
            "name": facts.name,
            "shared_address": facts.shared_address,
            "bounce_address": "",
            "envelope_domain": typed,
            "server_hostnames": "ms1.ssmx.net",
            "spf_include": facts.spf_include,
            "dkim_selectors": "",
            "support_contact": "",
            "is_active": "on",
        },
    )
    facts.refresh_from_db()
    if stored is None:
        assert response.status_code == 200
        assert error in response.content.decode()
        assert facts.envelope_domain == ""
    else:
        assert response.status_code == 302
        assert facts.envelope_domain == stored
        assert platform_info().envelope_domain == stored
