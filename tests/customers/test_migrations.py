"""Data migrations carry the stored facts over."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("customers", "0010_profile_status_derived")]
AFTER = [("customers", "0011_domain_status_instead_of_badge")]


@pytest.mark.django_db(transaction=True)
def test_a_stored_badge_becomes_the_status_it_worded() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    profile = old.get_model("customers", "CustomerProfile").objects.create(
        organisation="Old Org", contact_name="Luke", contact_email="luke@old.example"
    )
    account = old.get_model("customers", "RecipientAccount").objects.create(
        profile=profile, organisation="Partner"
    )
    domain = old.get_model("customers", "RecipientDomain")
    now = timezone.now()
    for name, gateway, badge in [
        ("mc.example", "mimecast", "Mimecast · Europe"),
        ("gone.example", "", "domain not found"),
        ("slow.example", "", "couldn't check (timeout)"),
        ("plain.example", "", "no gateway found"),
    ]:
        domain.objects.create(
            account=account, domain=name, gateway=gateway, badge=badge, checked_at=now
        )
    domain.objects.create(account=account, domain="new.example")  # never checked

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("customers", "RecipientDomain")
    assert dict(new.objects.values_list("domain", "status")) == {
        "mc.example": "gateway",
        "gone.example": "not_found",
        "slow.example": "error",
        "plain.example": "no_mx",
        "new.example": "",
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_text_stored_with_direction_controls_is_cleaned_in_rows_and_history() -> None:
    before = [("customers", "0011_domain_status_instead_of_badge")]
    after = [("customers", "0012_strip_bidi_controls_from_stored_text")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    profile = old.get_model("customers", "CustomerProfile").objects.create(
        organisation="Acme \u202etd.L", contact_name="Luke", contact_email="luke@old.example"
    )
    old.get_model("customers", "HistoricalCustomerProfile").objects.create(
        id=profile.pk,
        organisation="Acme \u202etd.L",
        contact_name="Lu\u2066ke",
        contact_email="luke@old.example",
        token=profile.token,
        support_ref=profile.support_ref,
        created_at=profile.created_at,
        updated_at=profile.updated_at,
        history_date=timezone.now(),
        history_type="+",
    )
    old.get_model("customers", "RecipientAccount").objects.create(
        profile=profile, organisation="Partner \u200f Org"
    )
    untouched = old.get_model("customers", "CustomerProfile").objects.create(
        organisation="Plain Org", contact_name="Ann", contact_email="ann@old.example"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    profiles = new.get_model("customers", "CustomerProfile").objects
    assert profiles.get(pk=profile.pk).organisation == "Acme td.L"
    assert profiles.get(pk=untouched.pk).organisation == "Plain Org"
    history = new.get_model("customers", "HistoricalCustomerProfile").objects.get(id=profile.pk)
    assert (history.organisation, history.contact_name) == ("Acme td.L", "Luke")
    account = new.get_model("customers", "RecipientAccount").objects.get(profile_id=profile.pk)
    assert account.organisation == "Partner Org"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
