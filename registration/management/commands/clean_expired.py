"""Remove what was left unfinished: registration drafts nobody touched for OCMS_DRAFT_DAYS (30 by default), with
the Sensitive Information sealed in them, and families reserved by "New" that no client joined in that time, unless
a draft touched in that time still holds the code (it is typed there, waiting for Register: removed, the code could
be handed out again by "New" to another family). Run it daily (README, Production)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from clients.models import Family
from clients.models.family import normalise_family_code
from registration.models import Draft


class Command(BaseCommand):
    help = "Remove registration drafts and reserved family codes left unused for OCMS_DRAFT_DAYS days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed, remove nothing.")

    def handle(self, *args, dry_run: bool, **options) -> None:
        before = timezone.now() - timedelta(days=settings.OCMS_DRAFT_DAYS)
        drafts = Draft.objects.filter(updated_at__lt=before)
        with transaction.atomic():
            families = Family.objects.filter(created_at__lt=before, members__isnull=True).exclude(
                pk__in=held_by_drafts(since=before)
            )
            draft_count, family_count = drafts.count(), families.count()
            if not dry_run:
                drafts.delete()
                families.delete()
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {draft_count} draft(s) and {family_count} unused family code(s) untouched for "
            f"{settings.OCMS_DRAFT_DAYS} days."
        )


def held_by_drafts(*, since) -> list[int]:
    """The unjoined families whose code a draft touched since then holds (typed at its Primary Information step)."""
    held = {
        (agency_id, normalise_family_code(code))
        for agency_id, codes in Draft.objects.filter(updated_at__gte=since)
        .exclude(data__primary__family_code=None)
        .values_list("agency_id", "data__primary__family_code")
        for code in (codes if isinstance(codes, list) else [codes])
        if isinstance(code, str) and code.strip()
    }
    candidates = Family.objects.filter(
        agency__in={agency_id for agency_id, _code in held}, code__in={code for _agency_id, code in held}
    )
    rows = candidates.values_list("pk", "agency_id", "code")
    return [pk for pk, agency_id, code in rows if (agency_id, code) in held]
