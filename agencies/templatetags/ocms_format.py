from django import template
from phonenumber_field.phonenumber import PhoneNumber

register = template.Library()


@register.filter
def phone(number: PhoneNumber | None) -> str:
    """A North American number as it is dialled here; any other with its country code."""
    if not number:
        return ""
    if number.country_code == 1:
        return number.as_national
    return number.as_international
