"""What iCARE last said of a client, for the Client Dashboard."""

from dataclasses import dataclass

from django import template

from clients.models import Client
from reports.icare import latest_icare_row
from reports.models import IcareExportRow

register = template.Library()


@dataclass(frozen=True)
class IcareOutcome:
    row: IcareExportRow
    changed_since_upload: bool


@register.simple_tag
def icare_outcome(client: Client) -> IcareOutcome | None:
    """The client's row in the latest iCARE file that held it, and whether the profile changed since."""
    row = latest_icare_row(client)
    if row is None:
        return None
    return IcareOutcome(row=row, changed_since_upload=client.updated_at > row.export.created_at)
