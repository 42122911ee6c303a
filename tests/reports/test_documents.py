"""The client documents read back from the PDFs: what they show, in English and French, and to whom."""

import io
import re
from datetime import date
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from agencies.models import Agency
from clients.models import ClientProgram, DeliveryMode, MatchKind, ProgramStatus, SensitiveInfo, SessionType
from reports.documents import DOCUMENTS
from tests.factories import ClientFactory, FamilyFactory, MentorMatchFactory, SessionFactory

pytestmark = pytest.mark.django_db

MM_IN_POINTS = 72 / 25.4
SECRET_ILLNESS = "Zebrafish-Allergy-7731"


@pytest.fixture
def client_record(agency, caseworker, caseworker2):
    """A registered client with a family, programs, sessions, matches, and sensitive information."""
    family = FamilyFactory(agency=agency, code="F-4821-K")
    client = ClientFactory(
        agency=agency,
        first_name="Amina",
        last_name="Haddad",
        date_of_birth=date(1988, 4, 12),
        registration_date=date(2026, 3, 2),
        registration_site=agency.sites.get(name="Welcome Centre"),
        primary_worker=caseworker,
        family=family,
        comments="Prefers morning appointments.",
    )
    ClientFactory(agency=agency, first_name="Samir", last_name="Haddad", family=family, number=1_900_001)
    programs = {program.name: program for program in agency.programs.all()}
    ClientProgram.objects.create(client=client, program=programs["Settlement"], status=ProgramStatus.NEW)
    ClientProgram.objects.create(client=client, program=programs["Employment"], status=ProgramStatus.RETURNING)
    SessionFactory(
        client=client,
        date=date(2026, 4, 20),
        program=programs["Employment"],
        session_type=SessionType.JOB_DEVELOPMENT,
        delivery_mode=DeliveryMode.PHONE,
        services=["employment"],
        worker=caseworker2,
        notes="Reviewed the résumé for nursing jobs.",
    )
    SessionFactory(
        client=client,
        date=date(2026, 3, 5),
        program=programs["Settlement"],
        session_type=SessionType.DIRECT,
        services=["needs_assessment", "housing"],
        worker=caseworker,
        notes="First needs assessment.",
    )
    MentorMatchFactory(
        client=client,
        kind=MatchKind.MENTOR,
        name="Claire Tremblay",
        program=programs["Employment"],
        start_date=date(2026, 4, 1),
        end_date=date(2026, 6, 30),
        notes="Weekly meetings about nursing licensure.",
    )
    MentorMatchFactory(client=client, kind=MatchKind.TUTOR, name="Jean-François Côté", start_date=date(2026, 5, 1))
    sensitive = SensitiveInfo.objects.create(client=client, illnesses=SECRET_ILLNESS)
    sensitive.self_identity.set(agency.list_items.filter(list="self_identity")[:1])
    return client


def document_url(client, document: str, **options: str) -> str:
    url = reverse("reports:client-document", kwargs={"code": client.code, "document": document})
    return f"{url}?{urlencode(options)}" if options else url


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    """The PDF's text with runs of white space made single spaces, as a reader sees the words."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_receipt_shows_the_registration_and_a_place_to_sign(caseworker_client, client_record, agency, caseworker):
    response = caseworker_client.get(document_url(client_record, "receipt"))

    reader = pdf_of(response)
    text = text_of(reader)
    assert len(reader.pages) == 1
    assert response["Content-Disposition"] == f'inline; filename="receipt-{client_record.number}-en.pdf"'
    for expected in (
        "Settlement Program Registration Receipt",
        agency.name,
        "1 Main Street, Toronto, Ontario M5V 2T6",
        "Amina Haddad",
        str(client_record.number),
        "Date of Birth April 12, 1988",
        "Registration Date March 2, 2026",
        "Registration Site Welcome Centre",
        f"Primary Worker {caseworker.display_name}",
        "Family Code F-4821-K",
        "Samir Haddad 1900001",
        "Employment Returning Client",
        "Settlement New Client",
        "The client has read and understood the agency's Privacy/Confidentiality Statement",
        "We keep your information private.",
        "Client signature",
        "Worker signature",
    ):
        assert expected in text


def test_the_receipt_in_french_has_french_labels_and_dates_and_the_data_as_entered(caseworker_client, client_record):
    response = caseworker_client.get(document_url(client_record, "receipt", lang="fr"))

    text = text_of(pdf_of(response))
    assert response["Content-Disposition"] == f'inline; filename="receipt-{client_record.number}-fr.pdf"'
    for expected in (
        "Reçu d’inscription au programme d’établissement",
        "Date de naissance 12 avril 1988",
        "Date d’inscription 2 mars 2026",
        "Lieu d’inscription Welcome Centre",
        "Code de famille F-4821-K",
        "Employment Client de retour",
        "Signature du client",
        "Page 1 de 1",
    ):
        assert expected in text
    for english in ("Registration Receipt", "Date of Birth", "April", "Client signature", "Returning Client"):
        assert english not in text


STATEMENT_FR = "Nous protégeons vos renseignements personnels et ne les communiquons à personne."


def test_the_french_receipt_prints_the_agencys_french_statement_and_names(caseworker_client, client_record, agency):
    Agency.objects.filter(pk=agency.pk).update(privacy_statement_fr=STATEMENT_FR)
    agency.programs.filter(name="Settlement").update(name_fr="Établissement")
    agency.sites.filter(name="Welcome Centre").update(name_fr="Centre d’accueil")

    french = text_of(pdf_of(caseworker_client.get(document_url(client_record, "receipt", lang="fr"))))
    english = text_of(pdf_of(caseworker_client.get(document_url(client_record, "receipt", lang="en"))))

    assert STATEMENT_FR in french
    assert "We keep your information private." not in french
    assert "Établissement Nouveau client" in french
    assert "Lieu d’inscription Centre d’accueil" in french
    assert "We keep your information private." in english
    assert "Nous protégeons" not in english
    assert "Settlement New Client" in english


def test_a_french_receipt_without_a_french_statement_prints_the_english_one_marked_english(
    caseworker_client, client_record
):
    response = caseworker_client.get(document_url(client_record, "receipt", format="html", lang="fr"))

    assertContains(response, '<p class="statement" lang="en">We keep your information private.</p>', html=True)
    assertContains(response, '<span lang="en">Employment</span>', html=True)


def test_the_client_card_is_wallet_size(caseworker_client, client_record, agency, caseworker):
    reader = pdf_of(caseworker_client.get(document_url(client_record, "card")))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(85.6 * MM_IN_POINTS, abs=0.5)
    assert float(box.height) == pytest.approx(54 * MM_IN_POINTS, abs=0.5)
    text = text_of(reader)
    for expected in (agency.name, "Amina Haddad", str(client_record.number), "F-4821-K", caseworker.display_name):
        assert expected in text
    assert agency.phone in text


def test_the_client_history_lists_every_session_oldest_first(caseworker_client, client_record, caseworker, caseworker2):
    text = text_of(pdf_of(caseworker_client.get(document_url(client_record, "history"))))

    assert "Client History" in text
    first = text.index("March 5, 2026 Settlement Direct Service")
    second = text.index("April 20, 2026 Employment Direct Service (Job Development)")
    assert first < second
    assert caseworker.display_name in text[first:second]
    assert caseworker2.display_name in text[second:]
    assert "Services given: Needs assessment and referrals; Housing help" in text
    assert "Services given: Employment-related services" in text
    assert "Notes: First needs assessment." in text
    assert "Reviewed the résumé for nursing jobs." in text
    assert "Phone" in text[second:]


def test_the_client_history_in_french(caseworker_client, client_record):
    text = text_of(pdf_of(caseworker_client.get(document_url(client_record, "history", lang="fr"))))

    assert "Historique du client" in text
    assert "5 mars 2026 Settlement Service direct" in text
    assert "Services fournis : Évaluation des besoins et aiguillage; Aide au logement" in text
    assert "Reviewed the résumé for nursing jobs." in text


def test_the_mentor_tutor_history_lists_the_matches(caseworker_client, client_record):
    text = text_of(pdf_of(caseworker_client.get(document_url(client_record, "mentor-history"))))

    assert "Client Mentor/Tutor History" in text
    assert "Mentor Claire Tremblay Employment April 1, 2026 June 30, 2026 ENDED" in text
    assert "Notes: Weekly meetings about nursing licensure." in text
    assert "Tutor Jean-François Côté" in text
    assert text.index("Claire Tremblay") < text.index("Jean-François Côté")


def test_the_mentor_tutor_history_in_french(caseworker_client, client_record):
    text = text_of(pdf_of(caseworker_client.get(document_url(client_record, "mentor-history", lang="fr"))))

    assert "Historique de mentorat et de tutorat du client" in text
    assert "Mentor Claire Tremblay Employment 1er avril 2026 30 juin 2026 TERMINÉ" in text
    assert "Tuteur Jean-François Côté" in text


def test_save_as_html_gives_the_same_document_as_a_web_page(caseworker_client, client_record):
    response = caseworker_client.get(document_url(client_record, "receipt", format="html", lang="fr"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="receipt-{client_record.number}-fr.html"'
    assertContains(response, '<html lang="fr">')
    assertContains(response, "Reçu d’inscription au programme d’établissement")
    assertContains(response, str(client_record.number))
    assertContains(response, "12 avril 1988")
    assertContains(response, "@page")  # the print CSS travels with the file
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "style-src 'unsafe-inline'" in policy


def sensitive_words(client) -> list[str]:
    """What a document must never show: the client's sensitive information and its headings."""
    self_identity = client.sensitive.self_identity.get()
    return [SECRET_ILLNESS, self_identity.label, self_identity.label_fr, "Illnesses", "Maladies"]


@pytest.mark.parametrize("document", list(DOCUMENTS))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_pdf_document_ever_shows_sensitive_information(caseworker_client, client_record, document, lang):
    response = caseworker_client.get(document_url(client_record, document, format="pdf", lang=lang))

    text = text_of(pdf_of(response))
    for word in sensitive_words(client_record):
        assert word not in text


@pytest.mark.parametrize("document", list(DOCUMENTS))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_html_document_ever_shows_sensitive_information(caseworker_client, client_record, document, lang):
    response = caseworker_client.get(document_url(client_record, document, format="html", lang=lang))

    assert response["Content-Type"] == "text/html; charset=utf-8"
    assertContains(response, client_record.last_name)  # the document itself, not an error page
    for word in sensitive_words(client_record):
        # Raw and as the template escapes it: neither spelling may appear.
        assertNotContains(response, word)
        assertNotContains(response, escape(word))


@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_another_agencys_client_answers_404(outsider_client, client_record, document):
    assert outsider_client.get(document_url(client_record, document)).status_code == 404


def test_the_report_menu_of_another_agencys_client_answers_404(outsider_client, client_record):
    url = reverse("reports:client-report", kwargs={"code": client_record.code})

    assert outsider_client.get(url, {"document": "receipt"}).status_code == 404


def test_the_report_menu_opens_the_chosen_document_with_its_options(caseworker_client, client_record):
    url = reverse("reports:client-report", kwargs={"code": client_record.code})

    response = caseworker_client.get(url, {"document": "card", "format": "html", "lang": "fr"})

    assertRedirects(
        response, document_url(client_record, "card", format="html", lang="fr"), fetch_redirect_response=False
    )


def test_the_report_menu_refuses_a_report_it_does_not_list(caseworker_client, client_record):
    url = reverse("reports:client-report", kwargs={"code": client_record.code})

    response = caseworker_client.get(url, {"document": "everything"})

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assertContains(response, "Choose one of the reports listed.", status_code=400)


def test_an_unknown_document_answers_404(caseworker_client, client_record):
    assert caseworker_client.get(document_url(client_record, "passport")).status_code == 404


def test_an_unknown_format_is_refused(caseworker_client, client_record):
    response = caseworker_client.get(document_url(client_record, "receipt", format="docx"))

    assert response.status_code == 400


def test_documents_print_in_the_users_language_unless_asked_otherwise(caseworker_client, client_record):
    caseworker_client.post(reverse("set_language"), {"language": "fr"})

    text = text_of(pdf_of(caseworker_client.get(document_url(client_record, "receipt"))))

    assert "Reçu d’inscription au programme d’établissement" in text


def test_documents_need_a_login(client, client_record):
    url = document_url(client_record, "receipt")

    response = client.get(url)

    assertRedirects(response, f"{reverse('login')}?next={url}", fetch_redirect_response=False)


def test_the_profile_offers_the_report_menu(caseworker_client, client_record):
    page = caseworker_client.get(reverse("clients:client-detail", kwargs={"code": client_record.code}))

    assertContains(page, f'action="{reverse("reports:client-report", kwargs={"code": client_record.code})}"')
    for label in (
        "Client History",
        "Client Mentor/Tutor History",
        "OCMS Client Card",
        "Settlement Program Registration Receipt",
        "Save as",
        "Print In",
        "Execute",
    ):
        assertContains(page, label)
    assertContains(page, '<option value="pdf" selected>PDF</option>', html=True)


def test_an_anonymous_clients_receipt_names_no_one(caseworker_client, agency):
    anonymous = ClientFactory(agency=agency, anonymous=True)

    text = text_of(pdf_of(caseworker_client.get(document_url(anonymous, "receipt"))))

    assert "Anonymous Client" in text
    assert str(anonymous.number) in text
    assert "Date of Birth —" in text
    assert "No family code." in text


# Printing opens the document; Download saves it.


def test_execute_opens_the_chosen_document_in_the_browser_and_download_saves_it(caseworker_client, client_record):
    menu = reverse("reports:client-report", kwargs={"code": client_record.code})
    opened = caseworker_client.get(menu, {"document": "card", "format": "pdf", "lang": "en"}, follow=True)
    saved = caseworker_client.get(
        menu, {"document": "card", "format": "pdf", "lang": "en", "download": "1"}, follow=True
    )

    assert opened.status_code == saved.status_code == 200
    assert opened["Content-Disposition"] == f'inline; filename="card-{client_record.number}-en.pdf"'
    assert saved["Content-Disposition"] == f'attachment; filename="card-{client_record.number}-en.pdf"'


def test_the_report_menu_and_the_receipt_print_open_a_new_tab_beside_a_download_button(
    caseworker_client, client_record
):
    profile = caseworker_client.get(reverse("clients:client-detail", kwargs={"code": client_record.code}))
    done = caseworker_client.get(reverse("registration:next-steps", kwargs={"code": client_record.code}))

    assertContains(
        profile,
        'formtarget="_blank" aria-describedby="report-menu-hint">Execute'
        '<span class="visually-hidden"> (opens in a new tab)</span>',
    )
    assertContains(
        profile,
        '<button class="btn btn-outline-secondary" type="submit" name="download" value="1" '
        'aria-describedby="report-menu-hint">Download',
    )
    assertContains(
        profile,
        "Execute opens the report in a new tab, ready to print; Download saves it as a file, in the Save as format.",
    )
    assertContains(
        done,
        'formtarget="_blank" aria-describedby="receipt-print-hint">Print the Registration Receipt'
        '<span class="visually-hidden">',
    )
    assertContains(
        done,
        'name="download" value="1" aria-describedby="receipt-print-hint">Download'
        '<span class="visually-hidden"> Registration Receipt',
    )
    assertContains(
        done,
        "Print opens the receipt in a new tab, ready to print; Download saves it as a file, in the Save as format.",
    )
