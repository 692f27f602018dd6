"""A recipient domain stores what its DNS check found (`status`) instead of the badge's words,
which are now worded from the facts (apps.policies.wording.domain_badge)."""

from django.db import migrations, models

# The stored badge words each outcome had; a gateway's badge named the gateway.
_FROM_BADGE = {
    "not a valid domain": "invalid",
    "accepts no email": "null_mx",
    "unknown gateway": "unknown",
    "no gateway found": "no_mx",
    "receives no email": "no_mail",
    "domain not found": "not_found",
}


def status_from_badge(apps, schema_editor):
    RecipientDomain = apps.get_model("customers", "RecipientDomain")
    for row in RecipientDomain.objects.exclude(checked_at=None).only("badge", "gateway"):
        if row.gateway:
            row.status = "gateway"
        elif row.badge.startswith("couldn't check"):
            row.status = "error"
        else:
            row.status = _FROM_BADGE.get(row.badge, "unknown")
        row.save(update_fields=["status"])


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0010_profile_status_derived"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrecipientdomain",
            name="status",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name="recipientdomain",
            name="status",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(status_from_badge, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalrecipientdomain",
            name="badge",
        ),
        migrations.RemoveField(
            model_name="recipientdomain",
            name="badge",
        ),
    ]
