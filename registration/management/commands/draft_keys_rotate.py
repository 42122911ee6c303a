"""Reseal every draft's Sensitive Information under the first key of OCMS_DRAFT_KEYS.

To change the key: put a new key first in OCMS_DRAFT_KEYS and keep the old one after it, restart, run this
command, then remove the old key.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from registration.models import Draft
from registration.sealed import reseal


class Command(BaseCommand):
    help = "Reseal the Sensitive Information kept in registration drafts under the first key of OCMS_DRAFT_KEYS."

    def handle(self, *args, **options) -> None:
        count = 0
        with transaction.atomic():
            for draft in Draft.objects.exclude(sensitive_sealed="").select_for_update().only("pk", "sensitive_sealed"):
                draft.sensitive_sealed = reseal(draft.sensitive_sealed)
                draft.save(update_fields=["sensitive_sealed"])
                count += 1
        self.stdout.write(f"Resealed {count} draft(s) under the first key.")
