from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from agencies.validators import PostalCodeValidator, postal_code_compact  # noqa: F401 - the migrations name them here


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
