from datetime import date

import factory
from django.contrib.auth import get_user_model

from agencies.lists import agency_lists_seed
from agencies.models import (
    Agency,
    AgencyList,
    IcareList,
    IcareValue,
    ListItem,
    Program,
    Role,
    Site,
    SiteGroup,
    StaffProfile,
)
from clients.models import Client
from clients.models.family import family_code_of
from clients.search import name_words_remember

PASSWORD = "correct-horse-battery"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["name"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Agency {n}")
    street_address = "1 Main Street"
    city = "Toronto"
    province = "Ontario"
    postal_code = "M5V 2T6"
    phone = "416-555-0100"
    privacy_statement = "We keep your information private."

    @factory.post_generation
    def lists(obj, create, extracted, **kwargs):  # noqa: N805 - factory-boy passes the object
        if create:
            agency_lists_seed(agency=obj)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Program {n}")


class SiteGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteGroup

    agency = factory.SubFactory(AgencyFactory)
    name = "Non-schools or Reception Centres"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    agency = factory.SubFactory(AgencyFactory)
    group = factory.SubFactory(SiteGroupFactory, agency=factory.SelfAttribute("..agency"))
    name = factory.Sequence(lambda n: f"Site {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Worker{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805 - factory-boy passes the object
        if create:
            obj.save()


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff profile with its user; the agency's programs and first site unless given."""

    class Meta:
        model = StaffProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CASEWORKER
    default_site = factory.LazyAttribute(lambda p: p.agency.sites.order_by("pk").first())

    @factory.post_generation
    def programs(obj, create, extracted, **kwargs):  # noqa: N805 - factory-boy passes the object
        if create:
            obj.programs.set(extracted if extracted is not None else obj.agency.programs.all())


def agency_create(name: str):
    """The agency of the personas (tests/conftest.py): three programs, and three sites in two site groups."""
    agency = AgencyFactory(name=name)
    for program in ("Settlement", "Language Training", "Employment"):
        ProgramFactory(agency=agency, name=program)
    reception = SiteGroupFactory(agency=agency, name="Non-schools or Reception Centres")
    schools = SiteGroupFactory(agency=agency, name="Schools")
    SiteFactory(agency=agency, group=reception, name="Main Office")
    SiteFactory(agency=agency, group=reception, name="Welcome Centre")
    SiteFactory(agency=agency, group=schools, name="Riverside Public School")
    return agency


def other_agency_create(name: str):
    """The other agency of the personas, the outsider's: one program, one site."""
    agency = AgencyFactory(name=name)
    ProgramFactory(agency=agency, name="Settlement")
    SiteFactory(agency=agency, group=SiteGroupFactory(agency=agency), name="Harbour Office")
    return agency


def list_item(agency, list_name: str, label: str):
    return ListItem.objects.get(agency=agency, list=list_name, label=label)


def icare_value(list_name: str, value: str):
    return IcareValue.objects.get(list=list_name, value=value)


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "clients.Family"

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: family_code_of(f"{1000 + n:04d}"))


class IdentifierFactory(factory.django.DjangoModelFactory):
    """A FOSS/GCMS Client ID of the client (another value with `value=`, another type with `identifier_type=`)."""

    class Meta:
        model = "clients.Identifier"

    client = None
    identifier_type = factory.LazyAttribute(
        lambda i: list_item(i.client.agency, AgencyList.IDENTIFIER_TYPE, "FOSS/GCMS Client ID")
    )
    value = "1234-5678"


def an_identifier() -> factory.RelatedFactory:
    return factory.RelatedFactory(IdentifierFactory, factory_related_name="client")


class ClientFactory(factory.django.DjangoModelFactory):
    """A named client with OCMS's green fields filled in, as if registered by a staff member of the agency.

    `registered_by` (a staff profile) gives the agency, the creator, the primary worker and the registration site.
    Traits: `ready_for_icare` (everything iCARE needs, research consent No), `consenting` (research consent Yes with
    the contact details it then needs), `anonymous`, `with_identifier` (a FOSS/GCMS Client ID; another value with
    `identifier__value=`), `with_family`.
    """

    class Meta:
        model = "clients.Client"
        skip_postgeneration_save = True

    class Params:
        registered_by = None
        ready_for_icare = factory.Trait(
            official_language=factory.LazyFunction(lambda: icare_value(IcareList.OFFICIAL_LANGUAGE, "English")),
            research_consent=False,
            identifier=an_identifier(),
        )
        consenting = factory.Trait(
            research_consent=True,
            phone="+14165550199",
            email="client@example.org",
            street_number="120",
            street_name="Queen",
            city="Toronto",
            province=factory.LazyFunction(lambda: icare_value(IcareList.PROVINCE, "Ontario")),
        )
        anonymous = factory.Trait(
            is_anonymous=True,
            privacy_confirmed=False,
            first_name="",
            last_name="",
            date_of_birth=None,
            primary_worker=None,
        )
        with_identifier = factory.Trait(identifier=an_identifier())
        with_family = factory.Trait(family=factory.SubFactory(FamilyFactory, agency=factory.SelfAttribute("..agency")))

    agency = factory.LazyAttribute(lambda c: c.registered_by.agency if c.registered_by else AgencyFactory())
    number = factory.LazyAttribute(lambda c: Client.objects.for_agency(c.agency).next_number())
    privacy_confirmed = True
    first_name = "Amara"
    last_name = "Okafor"
    gender = factory.LazyAttribute(lambda c: list_item(c.agency, AgencyList.GENDER, "Female"))
    date_of_birth = date(1990, 4, 12)
    postal_code = "M5V2T6"
    primary_worker = factory.LazyAttribute(lambda c: c.registered_by)
    registration_site = factory.LazyAttribute(
        lambda c: (c.registered_by.default_site if c.registered_by else None) or c.agency.sites.order_by("pk").first()
    )
    created_by = factory.LazyAttribute(lambda c: c.registered_by.user if c.registered_by else UserFactory())


def samir_haddad(staff, **fields) -> Client:
    """Samir Haddad, registered by `staff` with a family code, French, his immigration dates and an email: a relative
    with some of what a family member may copy."""
    return ClientFactory(
        registered_by=staff,
        with_family=True,
        first_name="Samir",
        last_name="Haddad",
        official_language=icare_value(IcareList.OFFICIAL_LANGUAGE, "French"),
        landing_date=date(2019, 6, 1),
        arrival_date=date(2019, 6, 2),
        email="haddad.family@example.com",
        postal_code="M5S1X5",
        **fields,
    )


def searchable(client: Client) -> Client:
    """A client saved straight to the database, its name words added to the dictionary as registration does."""
    name_words_remember(client)
    return client


class SessionFactory(factory.django.DjangoModelFactory):
    """A session of the client, given by a worker of the client's agency."""

    class Meta:
        model = "clients.Session"

    client = factory.SubFactory(ClientFactory)
    agency = factory.SelfAttribute("client.agency")
    program = factory.LazyAttribute(lambda s: s.agency.programs.order_by("name").first())
    session_type = "direct"
    delivery_mode = "in_person"
    services = factory.LazyFunction(lambda: ["needs_assessment"])
    duration_minutes = 45
    worker = factory.LazyAttribute(lambda s: s.agency.staff.order_by("pk").first())


class MentorMatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "clients.MentorMatch"

    client = factory.SubFactory(ClientFactory)
    agency = factory.SelfAttribute("client.agency")
    kind = "mentor"
    name = "Claire Tremblay"
    program = factory.LazyAttribute(lambda m: m.agency.programs.order_by("name").first())
    start_date = factory.Faker("date_between", start_date="-2y", end_date="-30d")


def child_age_group(starts: str) -> IcareValue:
    """One of IRCC's children's age groups, by how it begins: "Infant", "Toddler", "Pre-school", "School age"."""
    return IcareValue.objects.of(IcareList.CHILD_AGE).get(value__startswith=starts)


class ChildFactory(factory.django.DjangoModelFactory):
    """A child of the client (`client=`): Tobi, a Toddler, no date of birth unless given."""

    class Meta:
        model = "clients.Child"

    client = None
    name = "Tobi"
    age_group = factory.LazyFunction(lambda: child_age_group("Toddler"))
