import factory
from django.contrib.auth import get_user_model

from agencies.lists import agency_lists_seed
from agencies.models import Agency, Program, Role, Site, SiteGroup, StaffProfile
from clients.models import FIRST_CLIENT_NUMBER

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


class ClientFactory(factory.django.DjangoModelFactory):
    """A named client of the agency, as if registered by one of its caseworkers."""

    class Meta:
        model = "clients.Client"

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: FIRST_CLIENT_NUMBER + n)
    privacy_confirmed = True
    first_name = factory.Iterator(["Amina", "Omar", "Lina", "Mateo", "Priya", "Chen"])
    last_name = factory.Iterator(["Haddad", "Farouk", "Nguyen", "Rojas", "Sharma", "Wei"])
    date_of_birth = factory.Faker("date_between", start_date="-70y", end_date="-18y")
    registration_site = factory.LazyAttribute(lambda c: c.agency.sites.order_by("pk").first())
    created_by = factory.SubFactory(UserFactory)


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
