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
