from django.db import migrations, models

from registration.sealed import seal

PREFIX = "sensitive-"


def seal_typed_sensitive_information(apps, schema_editor):
    """Drafts made before sealing kept the Sensitive step's fields in the clear: seal them, drop the rest."""
    Draft = apps.get_model("registration", "Draft")  # noqa: N806 - a model class
    for draft in Draft.objects.filter(data__has_key="sensitive"):
        step = draft.data.get("sensitive") or {}
        sensitive = {key: values for key, values in step.items() if key.startswith(PREFIX)}
        if not sensitive and "sensitive" not in draft.checks:
            continue
        draft.data["sensitive"] = {key: values for key, values in step.items() if not key.startswith(PREFIX)}
        draft.checks.pop("sensitive", None)
        if sensitive:
            draft.sensitive_sealed = seal(sensitive)
        draft.save(update_fields=["data", "checks", "sensitive_sealed"])


class Migration(migrations.Migration):
    dependencies = [("registration", "0002_draft_checks")]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="sensitive_sealed",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal_typed_sensitive_information, migrations.RunPython.noop),
    ]
