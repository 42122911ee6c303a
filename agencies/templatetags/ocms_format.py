from django import template
from phonenumber_field.phonenumber import PhoneNumber

from agencies.models import user_display_name

register = template.Library()


@register.filter
def phone(number: PhoneNumber | None) -> str:
    """A North American number as it is dialled here; any other with its country code."""
    if not number:
        return ""
    if number.country_code == 1:
        return number.as_national
    return number.as_international


@register.filter
def display_name(user) -> str:
    """A login as OCMS names it: the person's full name, or the username."""
    return user_display_name(user) if user else ""
