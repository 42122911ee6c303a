from django import template
from django.conf import settings
from phonenumber_field.phonenumber import PhoneNumber

from agencies import middleware
from agencies.models import user_display_name

register = template.Library()


@register.filter
def phone(number: PhoneNumber | None) -> str:
    """A North American number as it is dialled here; any other with its country code."""
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
