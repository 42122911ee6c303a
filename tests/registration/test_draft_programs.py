"""The Agency Program Table: the client's status in each program (at Identification), which makes the client new or
returning, and their volunteer status in each (at Sensitive and Volunteer)."""

import pytest

from clients.models import ClientProgram
from tests.wizard import registered_client, walk

pytestmark = pytest.mark.django_db


def test_it_makes_the_client_returning_when_a_program_is_returning(caseworker_client, caseworker):
    overrides = {"identification": {"programs-1-status": "returning"}}

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    statuses = dict(ClientProgram.objects.filter(client=client).values_list("program__name", "status"))
    assert statuses == {"Employment": "new", "Language Training": "returning", "Settlement": "new"}
    assert client.agency_status == "returning"


def test_it_keeps_the_client_new_when_every_program_is_new(caseworker_client, caseworker):
    client = registered_client(walk(caseworker_client, caseworker)[1])

    statuses = dict(ClientProgram.objects.filter(client=client).values_list("program__name", "status"))
    assert statuses == {"Employment": "new", "Language Training": "new", "Settlement": "new"}
    assert client.agency_status == "new"


def test_it_keeps_the_program_status_and_the_volunteer_status_of_the_same_program(caseworker_client, caseworker):
    overrides = {
        "identification": {"programs-2-status": "returning"},
        "sensitive": {"programs-2-volunteer_status": "inactive"},
    }

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    settlement = ClientProgram.objects.get(client=client, program__name="Settlement")
    assert (settlement.status, settlement.volunteer_status) == ("returning", "inactive")


def test_it_saves_the_volunteer_status_per_program(caseworker_client, caseworker):
    overrides = {"sensitive": {"volunteer_status": "active", "programs-2-volunteer_status": "active"}}

    _code, response = walk(caseworker_client, caseworker, overrides)

    client = registered_client(response)
    assert client.volunteer_status == "active"
    rows = dict(ClientProgram.objects.filter(client=client).values_list("program__name", "volunteer_status"))
    assert rows == {"Employment": "", "Language Training": "", "Settlement": "active"}
