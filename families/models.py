import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyQuerySet

# Letters that cannot be misread aloud or on paper (no I, O, Q, U, and so on).
CHECK_LETTERS = "ABCDEFGHJKLMNPRSTVWXYZ"


def family_check_letter(digits: str) -> str:
    """The check letter of a family code's digits: weighted so a changed digit or a swap is caught."""
    total = sum((position + 2) * int(digit) for position, digit in enumerate(digits))
    return CHECK_LETTERS[total % len(CHECK_LETTERS)]


def family_code_is_valid(code: str) -> bool:
    code = normalise_family_code(code)
    parts = code.split("-")
    return (
        len(parts) == 3
        and parts[0] == "F"
        and len(parts[1]) in (4, 6)
        and parts[1].isdigit()
        and parts[2] == family_check_letter(parts[1])
    )


def normalise_family_code(code: str) -> str:
    compact = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(compact) in (6, 8) and compact[0] == "F":
        return f"F-{compact[1:-1]}-{compact[-1]}"
    return (code or "").strip().upper()


class FamilyQuerySet(AgencyQuerySet):
    pass


class Family(models.Model):
    """Relatives grouped under a family code, so staff see the whole family's services."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="families")
    code = models.CharField(_("Family Code"), max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="families_code_unique_per_agency")]

    def __str__(self) -> str:
        return self.code


def family_code_new(*, agency: Agency) -> str:
    """A fresh code of the agency, e.g. F-4821-K: short enough to read aloud, with a check letter.

    Four digits while the agency has few families, six once four would often collide.
    """
    width = 4 if Family.objects.for_agency(agency).count() < 3_000 else 6
    while True:
        digits = f"{secrets.randbelow(10**width):0{width}d}"
        code = f"F-{digits}-{family_check_letter(digits)}"
        if not Family.objects.for_agency(agency).filter(code=code).exists():
            return code
