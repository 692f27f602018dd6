"""PostgreSQL only: trigram indexes so "organisation or contact name contains …" needs no scan.

The expressions match what Django's `icontains` lookup generates on PostgreSQL
(`UPPER("col"::text) LIKE UPPER('%…%')`). Other databases skip this migration. Creating the
`pg_trgm` extension needs a role allowed to (the database owner on PostgreSQL 13+, where it is a
trusted extension).
"""

from django.db import migrations

INDEXES = {
    "support_profile_org_trgm": "organisation",
    "support_profile_name_trgm": "contact_name",
}


def create(apps: object, schema_editor: object) -> None:
    if schema_editor.connection.vendor != "postgresql":  # type: ignore[attr-defined]
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # type: ignore[attr-defined]
    for name, column in INDEXES.items():
        schema_editor.execute(  # type: ignore[attr-defined]
            f"CREATE INDEX IF NOT EXISTS {name} ON customers_customerprofile "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps: object, schema_editor: object) -> None:
    if schema_editor.connection.vendor != "postgresql":  # type: ignore[attr-defined]
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")  # type: ignore[attr-defined]


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
        ("customers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
