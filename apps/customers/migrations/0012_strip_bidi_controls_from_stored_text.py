"""Text stored before customer text lost its text-direction controls (apps.core.bidi) still held
them, and the HTML pages showed it as typed: each such value is cleaned as new text is, in the
rows and in their history."""

from django.db import migrations
from django.db.models import Q

from apps.core.bidi import BIDI_CONTROLS, strip_bidi

FIELDS = {
    "CustomerProfile": ("organisation", "contact_name", "display_name"),
    "RecipientAccount": ("organisation",),
    "ShareLink": ("label",),
}


def _clean(value: str) -> str:
    # The rule new text follows (apps.customers.services._common.text): one line, no controls.
    return " ".join(strip_bidi(value).split())


def strip_stored_controls(apps, schema_editor):
    for name, fields in FIELDS.items():
        for model in (
            apps.get_model("customers", name),
            apps.get_model("customers", f"Historical{name}"),
        ):
            holding = Q()
            for field in fields:
                for character in BIDI_CONTROLS:
                    holding |= Q(**{f"{field}__contains": character})
            for row in model.objects.filter(holding).only("pk", *fields).iterator():
                for field in fields:
                    setattr(row, field, _clean(getattr(row, field)))
                row.save(update_fields=list(fields))


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0011_domain_status_instead_of_badge"),
    ]

    operations = [migrations.RunPython(strip_stored_controls, migrations.RunPython.noop)]
