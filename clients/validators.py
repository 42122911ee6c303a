import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from localflavor.ca.forms import CAPostalCodeField


def postal_code_compact(value: str) -> str | None:
    """A Canadian postal code as OCMS stores it (six characters, upper case, no space), or None when it is not one.

    What a valid code is, django-localflavor's CAPostalCodeField says: A9A 9A9, never D, F, I, O, Q or U, never
    W or Z first; its digits ASCII ones (the pattern's \\d takes any script's, a full-width ０ too). Spaces and
    hyphens typed anywhere are forgiven.
    """
    compact = re.sub(r"[\s\-]+", "", value or "").upper()
    if not compact.isascii():
        return None
    match = CAPostalCodeField.postcode_regex.match(compact)
    return match.group(1) + match.group(2) if match else None


@deconstructible
class PostalCodeValidator:
    message = _("Postal code must look like A1A 1A1 (letters D, F, I, O, Q and U are never used).")
    code = "invalid_postal_code"

    def __call__(self, value: str) -> None:
        if value and postal_code_compact(value) is None:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PostalCodeValidator)


@deconstructible
class BirthDateValidator:
    message = _("Date of birth must be between 1900-01-01 and today.")
    code = "invalid_birth_date"

    def __call__(self, value: date) -> None:
        if value and not (date(1900, 1, 1) <= value <= timezone.localdate()):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BirthDateValidator)


@deconstructible
class NotInFutureValidator:
    message = _("This date is in the future: enter a date up to today.")
    code = "date_in_future"

    def __call__(self, value: date) -> None:
        if value and value > timezone.localdate():
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotInFutureValidator)
