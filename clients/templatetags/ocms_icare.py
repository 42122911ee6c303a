"""The client's "iCARE ready" badge (profile, dashboard, Next Steps)."""

from django import template

from clients.duplicates import identifier_shared_rule
from clients.models import Client
from clients.sections import EDITABLE_SECTIONS

register = template.Library()


@register.inclusion_tag("clients/_icare_badge.html")
def icare_badge(client: Client) -> dict:
    """Ready, or what keeps the client from iCARE, as the iCARE check says it: the rules of its yellow fields, and an
    iCARE identifier that another client holds (none for an anonymous client, who is never reported)."""
    missing = list(client.icare_missing)
    if (shared := identifier_shared_rule(client)) is not None:
        missing.append(shared)
    # Each with whether it links to the edit of its section, where it is filled in.
    return {"client": client, "missing": [(rule, rule.step in EDITABLE_SECTIONS) for rule in missing]}
