"""Checks of what people type, shared by every form: no control characters, ASCII digits where IRCC says digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from localflavor.ca.forms import CAPostalCodeField

# C0 and C1 control characters (but tab, line feed and carriage return, which text areas hold), the replacement
# character a broken encoding or a refused NUL leaves, and the two Unicode non-characters.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufffe\uffff]")
# What PostgreSQL cannot store in a text or a JSON value.
NUL = "\x00"
UNSTORABLE = "\ufffd"


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text or ""))


def storable(text: str) -> str:
    """Text as it can be kept (in a draft) whatever it holds: a NUL, which PostgreSQL refuses, becomes U+FFFD, which
    the form check then points at for the typist to remove."""
    return text.replace(NUL, UNSTORABLE)


def printable(text: str) -> str:
    """Text with its control and unreadable characters left out: for what people do not type, such as a file's name."""
    return CONTROL_CHARACTERS.sub("", text or "")


def ascii_digits(text: str) -> bool:
    """Digits 0 to 9 only: not "²" or "٣", which Python's str.isdigit() also takes."""
    return bool(text) and text.isascii() and text.isdigit()


@deconstructible
class ControlCharactersValidator:
    message = _(
        "This field holds a control character or an unreadable one (often pasted with the text): delete it and "
        "type the text again."
    )
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharactersValidator)


# The id and the name of a form field, as a lookup (family Find, New) is told which field to fill.
FIELD_ID = re.compile(r"^id_[a-z0-9_-]{1,80}$")
FIELD_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")


def north_american(e164: str) -> tuple[str, str, str] | None:
    """A stored North American number ("+14165550123") as its area code, exchange and line ("416", "555", "0123"),
    read without parsing the number; None for any other text."""
    if e164.startswith("+1") and len(e164) == 12 and e164[2:].isdigit():
        return e164[2:5], e164[5:8], e164[8:]
    return None


def field_id_or(text: str | None, default: str) -> str:
    """The field id a request names, if it is shaped like one of ours; `default` otherwise."""
    return text if text and FIELD_ID.match(text) else default


def field_name_or(text: str | None, default: str) -> str:
    """The field name a request names, if it is shaped like one of ours; `default` otherwise."""
    return text if text and FIELD_NAME.match(text) else default


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


# The province or territory each first letter of a postal code belongs to, as iCARE names them (Canada Post's
# postal code map: one letter for each province, three for Québec, five for Ontario, X for both northern
# territories).
POSTAL_CODE_PROVINCES = {
    "A": ("Newfoundland and Labrador",),
    "B": ("Nova Scotia",),
    "C": ("Prince Edward Island",),
    "E": ("New Brunswick",),
    **dict.fromkeys("GHJ", ("Québec",)),
    **dict.fromkeys("KLMNP", ("Ontario",)),
    "R": ("Manitoba",),
    "S": ("Saskatchewan",),
    "T": ("Alberta",),
    "V": ("British Columbia",),
    "X": ("Northwest Territories", "Nunavut"),
    "Y": ("Yukon",),
}


def postal_code_provinces(value: str) -> tuple[str, ...]:
    """The provinces or territories (iCARE's names) a postal code may be in; none for a code that is not one."""
    compact = postal_code_compact(value)
    return POSTAL_CODE_PROVINCES.get(compact[0], ()) if compact else ()


@deconstructible
class PostalCodeValidator:
    message = _("Postal code must look like A1A 1A1 (letters D, F, I, O, Q and U are never used).")
    code = "invalid_postal_code"

    def __call__(self, value: str) -> None:
        if value and postal_code_compact(value) is None:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PostalCodeValidator)
