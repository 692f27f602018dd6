"""Seed the platform's facts from its own help article on Mimecast.

The bounce address and DKIM selectors are not published there, so they start empty and the
instructions treat them as unknown until an operator fills them in.
"""

from django.db import migrations
from django.utils import timezone

SEED = {
    "name": "SmartSurvey",
    "shared_address": "member@smartsurveyuser.com",
    "bounce_address": "",
    "server_hostnames": ["ms1.ssmx.net", "ms7.ssmx.net", "ms8.ssmx.net"],
    "spf_include": "spf.ssmx.net",
    "dkim_selectors": [],
    "support_contact": "",
}


def seed(apps, schema_editor):
    PlatformFacts = apps.get_model("sending", "PlatformFacts")
    if PlatformFacts.objects.filter(is_active=True).exists():
        return
    facts = PlatformFacts.objects.create(is_active=True, **SEED)
    # Start the history with the seed so later admin edits show as changes against it.
    apps.get_model("sending", "HistoricalPlatformFacts").objects.create(
        id=facts.id,
        is_active=True,
        updated_at=facts.updated_at,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="Seeded from the platform's help article",
        **SEED,
    )


def unseed(apps, schema_editor):
    PlatformFacts = apps.get_model("sending", "PlatformFacts")
    PlatformFacts.objects.filter(name=SEED["name"], shared_address=SEED["shared_address"]).delete()


class Migration(migrations.Migration):
    dependencies = [("sending", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
