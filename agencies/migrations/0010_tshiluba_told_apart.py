from django.db import migrations

from agencies.lists import icare_values_load


def load(apps, schema_editor):
    # IRCC lists Tshiluba twice (once as "Zshiluba"): the second now shows as "Tshiluba (Zshiluba)" in both
    # languages, so that the language drop-down never holds one name twice.
    icare_values_load(apps.get_model("agencies", "IcareValue"))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0009_icare_names_lowercase_first")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
