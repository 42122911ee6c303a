"""Filters of the printed documents: dates written out in the language the document is printed in."""

from datetime import date

from django import template
from django.utils import dateformat
from django.utils.translation import get_language

register = template.Library()


@register.filter
def doc_date(value: date | None) -> str:
    """12 April 1988 is "April 12, 1988" in English and "12 avril 1988" (1er for the first) in French."""
    if not value:
        return ""
    if (get_language() or "en").startswith("fr"):
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {dateformat.format(value, 'F Y').lower()}"
    return dateformat.format(value, "F j, Y")
