from django.contrib.postgres.operations import BtreeGinExtension, TrigramExtension, UnaccentExtension
from django.db import migrations

from agencies.lists import icare_values_load, occupations_load


def load(apps, schema_editor):
    icare_values_load(apps.get_model("agencies", "IcareValue"))
    occupations_load(apps.get_model("agencies", "Occupation"))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]

    operations = [
        # The client search indexes need these on PostgreSQL; on SQLite the operations do nothing.
        TrigramExtension(),
        UnaccentExtension(),
        BtreeGinExtension(),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
