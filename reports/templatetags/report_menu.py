"""The print forms of the profile (Report menu) and of Next Steps (Print the Registration Receipt)."""

from django import template
from django.utils.translation import get_language

from clients.models import Client
from reports.forms import DocumentOptionsForm, ReportMenuForm

register = template.Library()


@register.inclusion_tag("reports/_report_menu.html")
def report_menu(client: Client) -> dict:
    """Report, Save as and Print In, with the execute button; in the user's language unless changed."""
    return {"client": client, "form": ReportMenuForm(language=get_language(), auto_id="report-%s")}


@register.inclusion_tag("reports/_receipt_print.html")
def receipt_print(client: Client) -> dict:
    """Print the Registration Receipt, with Save as and Print In."""
    return {"client": client, "form": DocumentOptionsForm(language=get_language(), auto_id="receipt-%s")}
