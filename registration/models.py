import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyQuerySet
from agencies.statements import columns
from clients.sections import SectionName


class DraftQuerySet(AgencyQuerySet):
    def of_user(self, request) -> "DraftQuerySet":
        return self.for_agency(request.agency).filter(owner=request.user)


def get_draft_for(request: HttpRequest, code) -> "Draft":
    """The request's user's own draft in their agency, or 404: nobody else's draft is ever reached. Read by a fixed
    statement: every step of the wizard reads its draft first, and through the ORM the query cost more to put together
    than to run."""
    read = columns(Draft, connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {read.sql} {OWN_DRAFT}", own_draft_params(request, code))
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return read.record(row)


def draft_owned_or_404(request: HttpRequest, code: uuid.UUID) -> None:
    """As get_draft_for, without reading the draft: for the checks that run as a step is typed (the duplicate check
    runs at each change of a name)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 {OWN_DRAFT}", own_draft_params(request, code))
        if cursor.fetchone() is None:
            raise Http404


OWN_DRAFT = "FROM registration_draft WHERE code = %s AND agency_id = %s AND owner_id = %s"


def own_draft_params(request: HttpRequest, code) -> list:
    """The parameters of OWN_DRAFT: the code as the database holds it (404 if it is none), the agency, the user."""
    try:
        stored_code = Draft._meta.get_field("code").get_db_prep_value(code, connection)
    except (ValidationError, ValueError):
        raise Http404 from None
    return [stored_code, getattr(request.agency, "pk", None), request.user.pk]


class Draft(models.Model):
    """A named client's registration in progress: every step's input as it was posted, valid or not."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration_drafts")
    data = models.JSONField(default=dict)  # {step: {field: [values]}}
    step = models.CharField(max_length=30, default=SectionName.PRIVACY.value)
    # Values copied from a relative when registering a family member: {step: {field: value}}.
    prefill = models.JSONField(default=dict, blank=True)
    # Each posted step's outcome when it was last checked: {step: {"valid": bool, "facts": {...}}}, so the
    # Registration Summary need not check every step again. A step that tells later ones something (the date
    # of birth, the consent to research) drops the outcomes after it when it changes.
    checks = models.JSONField(default=dict, blank=True)
    # What was typed at the Sensitive step, sealed (registration/sealed.py): never in `data` or `checks`.
    sensitive_sealed = models.TextField(blank=True, editable=False)
    prefilled_from = models.ForeignKey(
        "clients.Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("registration draft")

    def __str__(self) -> str:
        return self.title

    def keep(self, *fields: str) -> None:
        """Save these fields. The draft may have become a client meanwhile (another press of Register at the same
        moment): Draft.NotUpdated then, from a savepoint of its own, so that a transaction the request runs in is
        still usable to say where the client is."""
        with transaction.atomic():
            self.save(update_fields=fields)

    @property
    def birth_date_typed(self) -> str:
        """The date of birth as typed on Primary Information (for telling drafts of one name apart), or ""."""
        typed = self.data.get(SectionName.PRIMARY, {}).get("date_of_birth")
        return typed[0] if typed and typed[0] else ""

    @property
    def title(self) -> str:
        primary = self.data.get(SectionName.PRIMARY, {})
        name = " ".join(v[0] for v in (primary.get("first_name"), primary.get("last_name")) if v and v[0])
        # Not "Unnamed client": Resume and Discard, named after it, would be found by a search for "Named Client".
        return name or str(_("Client with no name yet"))
