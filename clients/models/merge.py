"""Duplicates resolved: the pairs of clients that may be one person (found by the scan, offered at registration,
or flagged by staff), the reviewer's decision on each, the merge that made one profile of two, and its undo."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.jobs import Job
from agencies.models import Agency, AgencyQuerySet
from clients.models.client import Client


class PairReason(models.TextChoices):
    """Why two clients may be one person; each reason adds its weight to the pair's score (out of 100)."""

    IDENTIFIER = "identifier", _("Same identifier")
    BIRTH_NAME = "birth_name", _("Same date of birth and a similar name")
    PHONE = "phone", _("Same telephone number")
    EMAIL = "email", _("Same email")
    REGISTERED_ANYWAY = "registered_anyway", _("Registered despite the duplicate check")
    FLAGGED = "flagged", _("Flagged by staff")


# How much each reason says (the name's likeness scales BIRTH_NAME).
REASON_WEIGHTS = {
    PairReason.IDENTIFIER: 60,
    PairReason.BIRTH_NAME: 40,
    PairReason.PHONE: 15,
    PairReason.EMAIL: 15,
    PairReason.REGISTERED_ANYWAY: 10,
    PairReason.FLAGGED: 10,
}
# Reasons that come from people, not from the scan: a scan that no longer finds the pair keeps them.
PEOPLE_REASONS = {PairReason.REGISTERED_ANYWAY, PairReason.FLAGGED}


class PairStatus(models.TextChoices):
    OPEN = "open", _("To review")
    DIFFERENT = "different", _("Different people")
    MERGED = "merged", _("Merged")


class DuplicatePair(models.Model):
    """Two clients of one agency that may be one person; `first` is the one registered first."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    first = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list)  # PairReason values
    details = models.JSONField(default=list)  # what matched, as the check says it ("same passport: X123")
    status = models.CharField(_("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("Why they are different people"), blank=True)
    # What the compared fields of both clients were when "Different people" was decided: the pair is offered
    # again only once one of them differs (clients.scan.compared_of).
    compared = models.CharField(max_length=64, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="clients_pair_unique")]
        indexes = [models.Index(fields=["agency", "status", "-score"], name="clients_pair_queue_idx")]

    def __str__(self) -> str:
        return f"{self.first_id}/{self.second_id} ({self.score})"

    @property
    def is_mergeable(self) -> bool:
        """Neither merged yet, into each other or into a third client."""
        return self.status != PairStatus.MERGED and not (self.first.merged_into_id or self.second.merged_into_id)

    @property
    def seen(self) -> str:
        """The decision a page shows, sent back with its form: a decision made meanwhile is told before acting."""
        return f"{self.status}:{self.decided_at.timestamp() if self.decided_at else ''}"

    def get_reasons_display(self) -> list[str]:
        labels = dict(PairReason.choices)
        return [str(labels.get(reason, reason)) for reason in self.reasons]


class ClientMerge(models.Model):
    """One merge: `merged` became a tombstone pointing at `survivor`. It records everything the merge changed, so
    that an undo puts back exactly that and nothing else."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="merges")
    merged = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(DuplicatePair, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # The survivor's fields the merge changed: {attname: [value before, value after]}, as JSON.
    survivor_fields = models.JSONField(default=dict)
    # The merged client's fields the merge changed (its family, its tombstone link, the links of its many-to-many
    # fields, which the survivor holds now): {attname or field name: value before}.
    merged_fields = models.JSONField(default=dict)
    # The rows moved to the survivor: [[app_label.model, foreign key attname, [pks]], ...].
    moved = models.JSONField(default=list)
    # Links of many-to-many fields added to the survivor: {field name: [ids of the values]}.
    links_added = models.JSONField(default=dict)
    # Where both held a part the client holds once (its Sensitive Information, a contact of one kind, a program, a
    # language, an identifier, an iCARE file): the survivor's row took the chosen values
    # ([[app_label.model, pk, {field name: [value before, value after]}], ...]), and the other's row was taken out,
    # kept here whole as Django's serializer writes a row ([{"model", "pk", "fields"}, ...]) for an undo to put back.
    parts_changed = models.JSONField(default=list)
    parts_removed = models.JSONField(default=list)
    # The pair's decision before the merge: {"status", "decided_by_id", "decided_at"}.
    pair_before = models.JSONField(default=dict)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    # The values the undo left as they were, because they were edited after the merge: a survivor's field by its
    # attname, a row's as "app_label.model.field".
    undo_kept_later = models.JSONField(default=list)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"

    @property
    def moved_count(self) -> int:
        return sum(len(pks) for _model, _field, pks in self.moved)

    @property
    def resolved_count(self) -> int:
        """The parts both clients held, made one."""
        return len(self.parts_removed)


class DuplicateScan(Job):
    """One scan of an agency's named clients for possible duplicates, run by the background worker."""

    FILES = "duplicate-scans"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    pairs_found = models.PositiveIntegerField(default=0)
    pairs_new = models.PositiveIntegerField(default=0)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"duplicate scan {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def task(self):
        from clients.tasks import duplicate_scan_run

        return duplicate_scan_run
