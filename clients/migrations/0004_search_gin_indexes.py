"""The PostgreSQL-only indexes of Find Client: name words, the name-word dictionary, comments.

Each puts the agency inside the index (btree_gin), so a search never reads another agency's rows.
On SQLite, where searches run at demo scale, nothing is created.
"""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations

INDEXES = {
    "clients_client_words_gin": (
        "clients_client",
        "USING gin (agency_id, string_to_array(btrim(name_words), ' '))",
    ),
    "clients_nameword_trgm": ("clients_nameword", "USING gin (agency_id, word gin_trgm_ops)"),
    "clients_client_comments_fts": (
        "clients_client",
        "USING gin (agency_id, to_tsvector('simple', comments))",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, definition) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0003_search_indexes")]

    operations = [
        CreateExtension("fuzzystrmatch"),
        migrations.RunPython(create, drop),
    ]
