"""The index of the registration comments holds their words folded as a search folds the words typed
(clients.text.comments_folded): "réfugié" is found by "refugie" and by "réfugié" alike. PostgreSQL only."""

from django.db import migrations

from clients.text import comments_folded

OLD = "USING gin (agency_id, to_tsvector('simple', comments))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS clients_client_comments_fts")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS clients_client_comments_folded ON clients_client USING gin "
        f"(agency_id, {comments_folded()})"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS clients_client_comments_folded")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS clients_client_comments_fts ON clients_client {OLD}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0015_consent_contact_type_label")]

    operations = [migrations.RunPython(create, drop)]
