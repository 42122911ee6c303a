"""The client's address behind the trusted reverse proxies: X-Forwarded-For is believed only from them, for the
Sensitive Information log and for the login locks alike."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from agencies.proxies import client_address
from clients.models import UnlockAttempt
from tests.agencies.login_helpers import WRONG, fail, log_in, logged_in_user_id
from tests.clients.sensitive_helpers import client_with_secrets, unlock_url
from tests.factories import PASSWORD

PROXY = "10.0.0.2"
INNER_PROXY = "10.0.0.3"
CLIENT = "198.51.100.7"
OTHER_CLIENT = "198.51.100.8"
FORGED = "1.2.3.4"
DIRECT = "203.0.113.5"


@pytest.fixture(autouse=True)
def trusted_proxies(settings):
    settings.OCMS_TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]


def address_of(remote_addr: str, forwarded_for: str | None = None) -> str | None:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra))


# client_address


def test_it_takes_the_direct_address_without_a_header():
    assert address_of(DIRECT) == DIRECT


def test_it_ignores_a_forged_header_from_an_address_that_is_no_trusted_proxy():
    assert address_of(DIRECT, CLIENT) == DIRECT


def test_it_ignores_the_header_when_no_proxy_is_trusted(settings):
    settings.OCMS_TRUSTED_PROXIES = []

    assert address_of(PROXY, CLIENT) == PROXY


def test_it_takes_the_address_the_trusted_proxy_appended():
    assert address_of(PROXY, CLIENT) == CLIENT


def test_it_never_takes_what_the_client_wrote_left_of_the_proxys_entry():
    assert address_of(PROXY, f"{FORGED}, {CLIENT}") == CLIENT


def test_it_walks_back_through_a_chain_of_trusted_proxies():
    assert address_of(PROXY, f"{FORGED}, {CLIENT}, {INNER_PROXY}") == CLIENT


def test_it_trusts_a_proxy_named_by_its_single_address(settings):
    settings.OCMS_TRUSTED_PROXIES = [PROXY]

    assert address_of(PROXY, CLIENT) == CLIENT
    assert address_of(INNER_PROXY, CLIENT) == INNER_PROXY


def test_it_takes_the_proxys_own_address_when_the_proxy_sends_no_header():
    assert address_of(PROXY) == PROXY


def test_it_takes_the_innermost_address_when_every_hop_is_a_trusted_proxy():
    assert address_of(PROXY, f"10.9.9.9, {INNER_PROXY}") == "10.9.9.9"


def test_it_tolerates_spaces_around_the_entries():
    assert address_of(PROXY, f"  {FORGED} ,   {CLIENT}  ") == CLIENT


def test_it_skips_a_malformed_entry_left_of_the_client():
    assert address_of(PROXY, f"not-an-address, {CLIENT}") == CLIENT


def test_it_believes_nothing_left_of_a_malformed_entry():
    # Whatever sits left of garbage came from no trusted proxy: the forged address is never taken.
    assert address_of(PROXY, f"{FORGED}, not-an-address") == PROXY
    assert address_of(PROXY, f"{FORGED}, ") == PROXY


def test_it_has_no_address_for_a_malformed_remote_addr():
    assert address_of("not-an-address", CLIENT) is None
    assert address_of("", CLIENT) is None


def test_it_reads_ipv6_behind_an_ipv6_proxy():
    assert address_of("fd00::2", "2001:db8::7") == "2001:db8::7"


def test_it_writes_an_ipv6_address_in_its_short_form():
    assert address_of("fd00::2", "2001:0DB8:0000:0000:0000:0000:0000:0007") == "2001:db8::7"


def test_it_reads_an_ipv4_client_behind_an_ipv6_proxy():
    assert address_of("fd00::2", CLIENT) == CLIENT


def test_it_ignores_a_forged_header_from_an_untrusted_ipv6_address():
    assert address_of("2001:db8::9", CLIENT) == "2001:db8::9"


# The Sensitive Information log


@pytest.fixture
def secret(caseworker):
    return client_with_secrets(caseworker)


def test_the_unlock_log_records_the_clients_address_behind_the_trusted_proxy(caseworker_client, secret):
    caseworker_client.post(
        unlock_url(secret), {"password": PASSWORD}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}"
    )

    assert UnlockAttempt.objects.get().address == CLIENT


def test_the_unlock_log_records_the_direct_address_whatever_the_header_says(caseworker_client, secret):
    caseworker_client.post(unlock_url(secret), {"password": PASSWORD}, REMOTE_ADDR=DIRECT, HTTP_X_FORWARDED_FOR=CLIENT)

    assert UnlockAttempt.objects.get().address == DIRECT


# The login locks


def test_axes_records_a_failed_login_at_the_clients_address_behind_the_trusted_proxy(caseworker):
    fail("casey", address=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]


def test_axes_records_a_failed_login_at_the_direct_address_whatever_the_header_says(caseworker):
    fail("casey", address=DIRECT, HTTP_X_FORWARDED_FOR=CLIENT)

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [DIRECT]


def test_a_lock_behind_the_proxy_holds_the_client_who_guessed_not_the_others_behind_it(caseworker):
    fail("casey", 5, address=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    guesser, colleague = Client(), Client()

    refused = log_in(guesser, "casey", address=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    accepted = log_in(colleague, "casey", address=PROXY, HTTP_X_FORWARDED_FOR=OTHER_CLIENT)

    assert refused.status_code == 429
    assert logged_in_user_id(guesser) is None
    assert accepted.status_code == 302
    assert logged_in_user_id(colleague) == str(caseworker.user.pk)


def test_a_direct_guesser_cannot_slip_past_the_lock_by_forging_the_header(caseworker):
    for n in range(5):
        log_in(Client(), "casey", WRONG, address=DIRECT, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    client = Client()

    response = log_in(client, "casey", address=DIRECT, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429
    assert logged_in_user_id(client) is None
