"""The walk-through: every page a caseworker and a manager meet, with the error states and the HTML documents, in the
language the browser was switched to (as a user switches it, on the login page). A generator, so that each test does
its own check at each stop: axe-core in English and French, the page's width at 320 px and at 200 % zoom."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from playwright.sync_api import Page, expect

from agencies.models import IcareList, StaffProfile
from clients.models import Client, ClientLanguage, ClientProgram, MatchKind, PairReason, ProgramStatus
from clients.scan import pair_raise
from tests.clients.sensitive_helpers import client_with_secrets
from tests.factories import PASSWORD, ClientFactory, FamilyFactory, MentorMatchFactory, SessionFactory, icare_value


def t(text: str, lang: str) -> str:
    """What the page says for `text` (a message of the project's) in `lang`."""
    with translation.override(lang):
        return translation.gettext(text)


def error_summary(page: Page, lang: str):
    """The summary a page with errors opens on ("This page has 2 errors")."""
    with translation.override(lang):
        one = translation.ngettext("This page has %(count)s error", "This page has %(count)s errors", 1)
    return page.get_by_role("region", name=re.compile("^" + re.escape(one.split("%(count)s")[0])))


@dataclass
class World:
    """What the pages show: a client with everything filled in and a family, and a pair of possible duplicates."""

    client: Client
    other: Client
    pair_code: str


def world_make(manager: StaffProfile) -> World:
    agency = manager.agency
    family = FamilyFactory(agency=agency)
    client = client_with_secrets(
        manager, first_name="Amina", last_name="Haddad", family=family, registration_date=date(2026, 3, 2)
    )
    other = ClientFactory(registered_by=manager, first_name="Samir", last_name="Haddad", family=family)
    program = agency.programs.order_by("name").first()
    ClientProgram.objects.create(client=client, program=program, status=ProgramStatus.RETURNING)
    ClientLanguage.objects.create(
        client=client,
        language=icare_value(IcareList.LANGUAGE, "Arabic"),
        comments="Mother tongue",
        listening=icare_value(IcareList.CLB_LISTENING, "7"),
    )
    SessionFactory(client=client, worker=manager, notes="First needs assessment.")
    MentorMatchFactory(client=client, kind=MatchKind.MENTOR, name="Claire Tremblay", program=program)
    twin = ClientFactory(
        registered_by=manager, first_name="Amina", last_name="Hadad", date_of_birth=client.date_of_birth
    )
    pair = pair_raise(agency=agency, a=client, b=twin, reason=PairReason.FLAGGED)
    return World(client=client, other=other, pair_code=str(pair.code))


def walk(page: Page, base: str, world: World, lang: str = "en") -> Iterator[str]:
    """Go through every page as the manager ("mana"); stop (yield the page's name) on each."""

    def button(name: str, exact: bool = True):
        return page.get_by_role("button", name=t(name, lang), exact=exact)

    def h1(text: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_contain_text(text)

    def on_step(heading: str) -> None:
        expect(page.get_by_role("heading", level=2, name=t(heading, lang), exact=True)).to_be_visible()

    def next_step(heading: str) -> None:
        button("Next").click()
        on_step(heading)

    def press_refused(name: str) -> None:
        """Press the button, and the page's errors are shown: their summary has the focus."""
        button(name).click()
        expect(error_summary(page, lang)).to_be_focused()

    def visit(*stops: tuple[str, str]) -> Iterator[str]:
        """Each page of these (its address after `base`, its name), stopped on in turn."""
        for path, name in stops:
            page.goto(base + path)
            yield name

    # Logged out: the login page, in the language switched to there, and a wrong password.
    page.goto(f"{base}/accounts/login/")
    if lang != "en":
        page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("OCMS")
    yield "login"
    page.get_by_label(t("Username or e-mail", lang)).fill("mana")
    page.get_by_label(t("Password", lang)).fill("not the password")
    press_refused("Log in")
    yield "login-error"
    page.get_by_label(t("Password", lang)).fill(PASSWORD)
    button("Log in").click()
    h1(t("My Tasks", lang))
    yield "home"

    # Register New Client: the wizard, with its error states and lookups.
    page.goto(f"{base}/register/")
    h1(t("Register New Client", lang))
    yield "register-start"
    button("Named Client").click()
    on_step("Privacy/Confidentiality Statement")
    yield "step-privacy"
    page.get_by_role("combobox").first.select_option("yes")
    next_step("About Your Client (Primary Information)")
    yield "step-primary"
    press_refused("Next")
    yield "step-primary-errors"
    page.get_by_label(t("First Name", lang), exact=False).fill("Nadia")
    page.get_by_label(t("Last Name", lang), exact=False).fill("Haddad")
    page.get_by_label(t("Gender", lang), exact=False).select_option(index=1)
    page.get_by_label(t("Date of Birth", lang), exact=False).fill("1991-02-03")
    button("Find").first.click()
    search = page.get_by_label(t("Find the client's relative: name, date of birth, client number or phone", lang))
    search.fill("Haddad")
    search.press("Enter")
    expect(page.get_by_role("radio").first).to_be_visible()
    yield "step-primary-family-find"
    page.get_by_role("radio").first.check()
    button("Select Family").click()
    expect(page.get_by_role("radio")).to_have_count(0)
    next_step("Immigration Related")
    yield "step-immigration"
    next_step("Identification Documents")
    yield "step-identification"
    next_step("About Your Client (Contact Information)")
    yield "step-contact"
    page.get_by_label(t("Postal Code", lang), exact=False).fill("M5S 1X5")
    next_step("Employment Related")
    search = page.get_by_label(t("Find %(label)s in the NOC list", lang) % {"label": t("Current Profession", lang)})
    search.fill("nurse")
    search.press("Enter")
    expect(page.get_by_role("button", name=t("Select", lang) + " 31301")).to_be_visible()
    yield "step-employment-noc"
    next_step("Client Language Related")
    yield "step-language"
    next_step("Sensitive Information")
    yield "step-sensitive"
    next_step("Emergency Contact & Consent")
    yield "step-consent"
    page.get_by_label(t("Consent Required", lang), exact=False).select_option("true")
    press_refused("Next")
    yield "step-consent-errors"
    page.get_by_label(t("Consent Required", lang), exact=False).select_option("false")
    next_step("Registration Summary")
    yield "step-summary"
    button("Find").click()
    expect(page.get_by_role("button", name=f"{t('Select Site', lang)} Main Office")).to_be_visible()
    yield "step-summary-sites"
    button("Register").click()
    h1(t("Next Steps", lang))
    yield "next-steps"

    # A registration left half done: the Summary says which steps were not seen; Clear it then.
    page.goto(f"{base}/register/")
    button("Named Client").click()
    page.get_by_role("combobox").first.select_option("yes")
    page.get_by_role("button", name=f"10. {t('Registration Summary', lang)}").click()
    on_step("Registration Summary")
    yield "step-summary-unseen"
    page.get_by_role("button", name=f"1. {t('Privacy', lang)}", exact=False).click()
    page.get_by_role("combobox").first.select_option("no")
    button("Next").click()
    yield "privacy-declined"

    # The anonymous form, with its errors.
    page.goto(f"{base}/register/anonymous/")
    press_refused("Register")
    yield "anonymous-errors"

    # The profile, locked and unlocked; its edits and their errors.
    code = world.client.code
    page.goto(f"{base}/clients/{code}/")
    h1("Amina Haddad")
    yield "profile"
    section = page.locator("#sensitive-info")
    section.get_by_label(t("Your password", lang)).fill(PASSWORD)
    section.get_by_role("button", name=t("Unlock", lang)).click()
    expect(section.get_by_role("tab")).to_have_count(4)
    yield "profile-unlocked"
    page.goto(f"{base}/register/edit/{code}/primary/")
    page.get_by_label(t("Last Name", lang), exact=False).fill("")
    press_refused("Update")
    yield "section-edit-errors"
    page.goto(f"{base}/clients/{code}/sensitive/edit/")
    yield "sensitive-edit-locked"
    page.get_by_label(t("Your password", lang)).fill("not the password")
    press_refused("Unlock")
    yield "sensitive-edit-refused"
    page.get_by_label(t("Your password", lang)).fill(PASSWORD)
    button("Unlock").click()
    expect(page.get_by_label(t("Illnesses", lang))).to_be_visible()
    yield "sensitive-edit-unlocked"
    page.goto(f"{base}/clients/{code}/dashboard/")
    yield "dashboard"

    # Find Client.
    page.goto(f"{base}/clients/find/?q=Haddad")
    expect(page.get_by_role("link", name=f"{t('Profile', lang)} Amina Haddad")).to_be_visible()
    yield "find-results"
    page.goto(f"{base}/clients/find/?q=Nobody+Here")
    yield "find-nothing"

    # Sessions and matches, with their errors.
    page.goto(f"{base}/clients/{code}/sessions/new/")
    press_refused("Save Session")
    yield "session-errors"
    page.goto(f"{base}/clients/{code}/sessions/")
    yield "sessions"
    page.goto(f"{base}/clients/{code}/mentor-matches/new/")
    press_refused("Save match")
    yield "mentor-match-errors"

    # The documents as HTML.
    for document in ("receipt", "card", "history", "mentor-history"):
        page.goto(f"{base}/reports/{code}/{document}/?format=html&lang={lang}")
        yield f"document-{document}"

    # The manager's and coordinator's pages.
    yield from visit(
        (f"/clients/{code}/history/", "change-history"),
        ("/clients/sensitive-access/", "unlock-log"),
        ("/agency/staff-access/", "staff-access-changes"),
        ("/agency/login-locks/", "login-locks"),
        ("/clients/duplicates/", "duplicates"),
        (f"/clients/duplicates/{world.pair_code}/", "duplicate-pair"),
        (f"/clients/duplicates/{world.pair_code}/merge/?keep={world.client.number}", "duplicate-merge"),
        ("/reports/icare/?date_from=2026-01-01&date_to=2026-12-31&include=new", "icare-check"),
    )
    page.goto(f"{base}/reports/icare/?date_from=2026-12-31&date_to=2026-01-01&include=new")
    expect(error_summary(page, lang)).to_be_focused()
    yield "icare-check-errors"

    # Help pages.
    yield from visit(
        ("/register/help/identifiers/", "help-identifiers"),
        ("/register/help/family-code/", "help-family-code"),
    )
