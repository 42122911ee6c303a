"""Writing clients: a registration writes the client and all its rows in one transaction."""

from collections.abc import Collection

from django.db import transaction

from agencies.models import Agency, StaffProfile
from clients.models import Client
from clients.scan import pairs_registered_anyway
from clients.search import name_words_remember
from clients.sections import SectionName
from families.services import family_member_prefill, family_of
from registration.models import Draft
from registration.steps import STEP_NAMES, BoundStep


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
    # As a named client's, the worker who registers the client, unless the form said another (the receipt names one).
    if client.primary_worker_id is None:
        client.primary_worker = staff
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


@transaction.atomic
def draft_family_copy(*, draft: Draft, relative: Client, chosen: Collection[str]) -> Draft:
    """Join the relative's family, and copy into the draft the relative's values the caseworker ticked (`chosen`,
    by Copyable.key): a step not posted yet starts with them, a step that holds input has them written over it.
    Nothing that was not ticked changes. The steps written to count as typed, not yet checked."""
    family = family_of(client=relative)
    copied = {(SectionName.PRIMARY, "family_code"): family.code}
    for item in family_member_prefill(relative=relative):
        if item.key in chosen:
            copied[(item.step, item.name)] = item.value
    written = set()
    for (step, name), value in copied.items():
        draft.prefill.setdefault(step, {})[name] = value  # shown with "Copied from the family member"
        if step in draft.data:
            if value is True:
                draft.data[step][name] = ["on"]  # a ticked box, as the browser posts it
            else:
                draft.data[step][name] = [str(value)]
            written.add(step)
    if written:
        first = min(STEP_NAMES.index(step) for step in written)
        for step in STEP_NAMES[first:]:
            if step in written:
                draft.checks[step] = None
            else:
                draft.checks.pop(step, None)
    draft.prefilled_from = relative
    draft.save(update_fields=["data", "prefill", "checks", "prefilled_from", "updated_at"])
    return draft
