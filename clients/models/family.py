"""A family: relatives grouped under a family code, and the one format of that code.

A code reads F-4821-B: "F", digits, and a check letter computed from the digits, so that a mistyped or swapped
digit is caught. It is written with as many digits as the agency needs (four, six or eight: F-482156-H); "New" hands out
fresh ones, each reserved as it is handed out (families.services).
"""

import re
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyQuerySet

# Letters that cannot be misread aloud or on paper (no I, O, Q, U, and so on).
CHECK_LETTERS = "ABCDEFGHJKLMNPRSTVWXYZ"
# F, four, six or eight ASCII digits, a check letter.
FAMILY_CODE_SHAPE = re.compile(r"^F-[0-9]{4}(?:[0-9]{2}){0,2}-[A-Z]$")


def family_check_letter(digits: str) -> str:
    """The check letter of a family code's digits: weighted so a changed digit or a swap is caught."""
    total = sum((position + 2) * int(digit) for position, digit in enumerate(digits))
    return CHECK_LETTERS[total % len(CHECK_LETTERS)]


def family_code_of(digits: str) -> str:
    """The family code of these digits, with its check letter."""
    return f"F-{digits}-{family_check_letter(digits)}"


# How a code is written, for help texts and messages: valid codes, of a small agency and of a larger one.
FAMILY_CODE_EXAMPLE = family_code_of("4821")
FAMILY_CODE_LONGER_EXAMPLE = family_code_of("482156")


def normalise_family_code(code: str) -> str:
    """A typed code as it is stored: upper case, with its two hyphens wherever the typist put them or not."""
    compact = "".join(ch for ch in (code or "").upper() if ch.isascii() and ch.isalnum())
    if len(compact) in (6, 8, 10) and compact[0] == "F":
        return f"F-{compact[1:-1]}-{compact[-1]}"
    return (code or "").strip().upper()


def looks_like_family_code(text: str) -> bool:
    """Written like a family code (F, four, six or eight digits, a letter), whether or not its check letter is
    right."""
    return bool(FAMILY_CODE_SHAPE.match(normalise_family_code(text)))


def family_code_is_valid(code: str) -> bool:
    code = normalise_family_code(code)
    return looks_like_family_code(code) and code[-1] == family_check_letter(code[2:-2])


class Family(models.Model):
    """Relatives grouped under a family code, so staff see the whole family's services."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="families")
    code = models.CharField(_("Family Code"), max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="clients_family_code_unique_per_agency")]

    def __str__(self) -> str:
        return self.code
