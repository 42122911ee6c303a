import pytest
from django.test import Client

from tests.conftest import client_for


@pytest.fixture
def caseworker2_client(caseworker2) -> Client:
    """A caseworker of the same agency without the sensitive-information grant."""
    return client_for(caseworker2)
