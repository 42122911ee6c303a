from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from phonenumber_field.phonenumber import PhoneNumber, to_python

from agencies import middleware
from agencies.models import LocalText, foreign_lang, user_display_name
from agencies.validators import north_american

register = template.Library()


@register.filter
def phone(number: PhoneNumber | str | None) -> str:
    """A North American number as it is dialled here; any other with its country code. `number` is a PhoneNumber or
    the text it is stored as (E.164: "+14165550123"), which for a North American number is not parsed at all."""
    if isinstance(number, str):
        if parts := north_american(number):
            return "({}) {}-{}".format(*parts)
        number = to_python(number)  # as the phone field reads its text
    # Not `if not number`: a PhoneNumber's truth value validates the number, a tenth of a millisecond on each row of
    # a page of results. No number is "" or None.
    if not isinstance(number, PhoneNumber) or number.national_number is None:
        return ""
    if number.country_code == 1:
        return number.as_national
    return number.as_international


@register.filter
def display_name(user) -> str:
    """A login as OCMS names it: the person's full name, or the username."""
    return user_display_name(user) if user else ""


@register.simple_tag
def idle_warning_seconds() -> int:
    return settings.OCMS_IDLE_WARNING_SECONDS


@register.simple_tag(takes_context=True)
def session_remaining(context) -> int:
    """Seconds the login has left, for the idle warning of the page (static/js/ocms.js)."""
    return middleware.session_remaining(context["request"])


@register.filter
def lang_marked(value) -> SafeString:
    """A program, a site, a list value or an agency's text as the page shows it: in the page's language when the
    agency gave it, else in a span saying which language it is in, for screen readers and translation tools."""
    # str() of a str gives a plain copy: a LocalText is taken as it is, to keep its language.
    text = value if isinstance(value, str) else "" if value is None else str(value)
    lang = foreign_lang(text)
    return format_html('<span lang="{}">{}</span>', lang, text) if lang else conditional_escape(text)


@register.filter
def lang_attribute(value) -> SafeString:
    """` lang="en"` for a block holding text in another language than the page's; nothing otherwise."""
    lang = foreign_lang(value)
    return format_html(' lang="{}"', lang) if lang else SafeString("")


@register.filter
def told(message: str) -> SafeString:
    """A message a background job stored in OCMS's own language (English), for whoever opens its page later: in the
    page's language where the catalogue has it; one it does not have (a number put in, an unforeseen error) in
    English, marked so."""
    text = str(message or "")
    translated = gettext(text) if text else text
    if translated == text:
        return lang_marked(LocalText(text, settings.LANGUAGE_CODE))
    return conditional_escape(translated)


@register.filter
def returning_to(url: str, back: str) -> str:
    """An address of OCMS whose page, once done with, comes back to `back` (a section edit reads it), its fragment
    kept last: the iCARE check's "Fix in …" back to the check, with its choice of clients."""
    path, hash_sign, fragment = str(url).partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{urlencode({'back': back})}{hash_sign}{fragment}"
