"""Remove what was left unfinished: registration drafts nobody touched for OCMS_DRAFT_DAYS (30 by default), with
the Sensitive Information sealed in them, and families reserved by "New" that no client joined in that time.
Run it daily (README, Production)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from clients.models import Family
from registration.models import Draft


class Command(BaseCommand):
    help = "Remove registration drafts and reserved family codes left unused for OCMS_DRAFT_DAYS days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed, remove nothing.")

    def handle(self, *args, dry_run: bool, **options) -> None:
        before = timezone.now() - timedelta(days=settings.OCMS_DRAFT_DAYS)
        drafts = Draft.objects.filter(updated_at__lt=before)
        families = Family.objects.filter(created_at__lt=before, members__isnull=True)
        with transaction.atomic():
            draft_count, family_count = drafts.count(), families.count()
            if not dry_run:
                drafts.delete()
                families.delete()
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {draft_count} draft(s) and {family_count} unused family code(s) untouched for "
            f"{settings.OCMS_DRAFT_DAYS} days."
        )
