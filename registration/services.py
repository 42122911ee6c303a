"""Writing clients: a registration writes the client and all its rows in one transaction."""

from django.db import transaction

from agencies.models import Agency, StaffProfile
from clients.models import Client
from clients.scan import pairs_registered_anyway
from clients.search import name_words_remember
from registration.models import Draft
from registration.steps import BoundStep


def client_number_next(*, agency: Agency) -> int:
    """The agency's next client number. Call inside a transaction: it locks the agency row, so two registrations
    at once never take the same number."""
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    return Client.objects.for_agency(agency).next_number()


@transaction.atomic
def client_register(
    *, staff: StaffProfile, client: Client, sections: list[BoundStep], draft: Draft | None = None
) -> Client:
    """Save a named client whose sections have all been validated onto `client`, then discard the draft."""
    client.agency = staff.agency
    client.created_by = staff.user
    client.privacy_confirmed = True
    for section in sections:
        section.apply(client)
    client.number = client_number_next(agency=staff.agency)
    client.full_clean(exclude=["family", "created_by", "agency"])
    if draft is not None:
        client.registered_from = draft.code
    client.save()
    name_words_remember(client)
    for section in sections:
        section.save_rows(client)
    pairs_registered_anyway(client)
    if draft is not None:
        draft.delete()
    return client


def draft_lock(draft: Draft) -> Draft | None:
    """The draft, locked until the transaction ends; None when it is gone (registered, or cleared, meanwhile).
    Two Register presses of one draft: the second waits for the first, then finds it gone."""
    return Draft.objects.select_for_update().filter(pk=draft.pk).first()


def registered_from(*, agency: Agency, code) -> Client | None:
    """The client a draft of the agency became, if it did."""
    return Client.objects.for_agency(agency).filter(registered_from=code).first()


@transaction.atomic
def anonymous_client_register(*, staff: StaffProfile, client: Client) -> Client:
    client.agency = staff.agency
    client.created_by = staff.user
    client.is_anonymous = True
    client.number = client_number_next(agency=staff.agency)
    client.full_clean(exclude=["created_by", "agency"])
    client.save()
    return client


@transaction.atomic
def client_section_update(*, client: Client, section: BoundStep) -> Client:
    """Save one edited profile section (its forms were validated onto `client`). The client row is written only when
    one of its values changed, so an edit saved unchanged adds nothing to the change history."""
    section.apply(client)
    if client_values(client) != client_values(Client.objects.get(pk=client.pk)):
        client.save()
        name_words_remember(client)
    section.save_rows(client)
    return client


def client_values(client: Client) -> dict:
    return {field.attname: getattr(client, field.attname) for field in Client._meta.concrete_fields}
