"""A client with Sensitive Information, and what its unlock looks like from outside."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from agencies.models import AgencyList, ListItem, StaffProfile
from clients.forms import SensitiveInfoForm
from clients.models import Client, SensitiveInfo
from clients.views.sensitive import sensitive_version
from tests.clients.pages import elements, parsed
from tests.factories import PASSWORD, ClientFactory

ILLNESSES = "Type 2 diabetes; seasonal asthma"
INSURANCE = "Interim Federal Health Program"
INCOME = "$20,000 to $39,999"
IDENTITIES = ("Person with a disability", "2SLGBTQI+")
# What must never reach a browser that has not unlocked the section.
SECRETS = (ILLNESSES, INSURANCE, INCOME, *IDENTITIES)
TABS = ("Health Insurance Status", "Illnesses", "Self-Identity", "Family Income")
WRONG = "not-my-password-at-all"


def item(agency, list_name: str, label: str) -> ListItem:
    return ListItem.objects.get(agency=agency, list=list_name, label=label)


def client_with_secrets(staff: StaffProfile, **fields) -> Client:
    """A named client registered by `staff`, with every Sensitive Information field filled in."""
    client = ClientFactory(registered_by=staff, **fields)
    agency = staff.agency
    info = SensitiveInfo.objects.create(
        client=client,
        health_insurance_status=item(agency, AgencyList.HEALTH_INSURANCE_STATUS, INSURANCE),
        illnesses=ILLNESSES,
        family_income=item(agency, AgencyList.FAMILY_INCOME, INCOME),
    )
    info.self_identity.set([item(agency, AgencyList.SELF_IDENTITY, label) for label in IDENTITIES])
    return client


def opened_version(client: Client) -> str:
    """The version the edit page carries when it opens on the client's Sensitive Information as saved now."""
    info = SensitiveInfo.objects.filter(client=client).first() or SensitiveInfo(client=client)
    return sensitive_version(SensitiveInfoForm(instance=info, agency=client.agency))


def unlock_url(client: Client) -> str:
    return reverse("clients:sensitive-unlock", kwargs={"code": client.code})


def detail_url(client: Client) -> str:
    return reverse("clients:client-detail", kwargs={"code": client.code})


def edit_url(client: Client) -> str:
    return reverse("clients:sensitive-edit", kwargs={"code": client.code})


def update_url(client: Client) -> str:
    return reverse("clients:sensitive-update", kwargs={"code": client.code})


def unlock(http, client: Client, password: str = PASSWORD, *, htmx: bool = False, address: str = "") -> HttpResponse:
    """Press Unlock on the profile: as htmx sends it, or as a plain form post."""
    extra = {"REMOTE_ADDR": address} if address else {}
    return http.post(
        unlock_url(client), {"password": password}, headers={"HX-Request": "true"} if htmx else None, **extra
    )


def assert_no_secrets(response: HttpResponse, status_code: int = 200) -> None:
    """Not one Sensitive Information value anywhere in the page (text or attribute, as sent or escaped), and the
    page has this status: an error page cannot pass for a locked section."""
    for secret in SECRETS:
        for sent in {secret, escape(secret)}:
            assertNotContains(response, sent, status_code=status_code)


def assert_every_secret(response: HttpResponse) -> None:
    """Every Sensitive Information value shown, on a page answered 200."""
    for secret in SECRETS:
        assertContains(response, secret, html=True)


def is_not_cacheable(response: HttpResponse) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives


def has_password_field(response: HttpResponse, status_code: int = 200) -> bool:
    return bool(elements(parsed(response, status_code), "input", type="password", name="password"))
