"""Staff pages name a profile by a new `support_ref` instead of its private token. Existing
profiles get a fresh random one each (a unique column cannot be added with one shared
default)."""

import secrets

from django.db import migrations, models

import apps.customers.models


def fill(apps, schema_editor):
    CustomerProfile = apps.get_model("customers", "CustomerProfile")
    used: set[str] = set()
    for profile in CustomerProfile.objects.filter(support_ref__isnull=True).only("pk"):
        ref = secrets.token_hex(8)
        while ref in used:
            ref = secrets.token_hex(8)
        used.add(ref)
        CustomerProfile.objects.filter(pk=profile.pk).update(support_ref=ref)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0005_ticks_for_exact_steps"),
    ]

    operations = [
        migrations.AddField(
            model_name="customerprofile",
            name="support_ref",
            field=models.CharField(max_length=16, null=True, editable=False),
        ),
        migrations.AddField(
            model_name="historicalcustomerprofile",
            name="support_ref",
            field=models.CharField(
                db_index=True,
                default=apps.customers.models.new_ref,
                editable=False,
                max_length=16,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="customerprofile",
            name="support_ref",
            field=models.CharField(
                default=apps.customers.models.new_ref,
                editable=False,
                max_length=16,
                unique=True,
            ),
        ),
    ]
