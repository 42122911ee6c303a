import uuid

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.access import get_for_agency, require_icare_upload
from agencies.jobs import Job, job_file_path
from agencies.models import Agency, AgencyQuerySet, Program
from clients.models import Client


class IcareExport(Job):
    """One iCARE Client Profile file produced for upload: who, when, which clients, the file and its checksum."""

    FILES = "icare-exports"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    date_from = models.DateField(_("Registered from"))
    date_to = models.DateField(_("Registered to"))
    program = models.ForeignKey(Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    include = models.CharField(max_length=10, default="new")
    sha256 = models.CharField(_("file checksum (SHA-256)"), max_length=64, blank=True)
    client_count = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=job_file_path, blank=True)

    objects = AgencyQuerySet.as_manager()

    @property
    def task(self):
        from reports.tasks import icare_export_run

        return icare_export_run

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # As the iCARE pages name a file, at local time (the change history and the merge pages name a row by it).
        when = timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")
        return _("iCARE file made %(when)s") % {"when": when}


class IcareStatus(models.TextChoices):
    EXPORTED = "exported", _("Exported")
    ACCEPTED = "accepted", _("Accepted by iCARE")
    REJECTED = "rejected", _("Rejected by iCARE")


class IcareExportRow(models.Model):
    """A client in an export, and what iCARE said of it once the returned file is uploaded."""

    export = models.ForeignKey(IcareExport, on_delete=models.CASCADE, related_name="rows")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="icare_rows")
    status = models.CharField(_("Status"), max_length=10, choices=IcareStatus.choices, default=IcareStatus.EXPORTED)
    message = models.TextField(_("iCARE processing details"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["export__created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["export", "client"], name="reports_icarerow_once_per_export")]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.status}"


def get_export_for(request: HttpRequest, code) -> IcareExport:
    """One of the agency's iCARE files, for staff with the "may upload to iCARE" grant: another agency's is a 404,
    whoever asks; staff without the grant get a 403."""
    export = get_for_agency(request, IcareExport, code=code)
    require_icare_upload(request)
    return export


class IcareReturn(Job):
    """A file iCARE sent back, read by the background worker: each exported client marked accepted or rejected."""

    FILES = "icare-returned"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=job_file_path)
    name = models.CharField(_("file name"), max_length=200)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Rows that matched no exported client ([row, why]), and rows without Processing Details yet (row numbers).
    unmatched = models.JSONField(default=list)
    not_processed = models.JSONField(default=list)

    objects = AgencyQuerySet.as_manager()

    @property
    def task(self):
        from reports.tasks import icare_returned_run

        return icare_returned_run

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"iCARE returned file {self.created_at:%Y-%m-%d %H:%M}"


def get_return_for(request: HttpRequest, code) -> IcareReturn:
    """One of the agency's returned iCARE files, for staff with the grant (as get_export_for)."""
    returned = get_for_agency(request, IcareReturn, code=code)
    require_icare_upload(request)
    return returned
