"""Documents hold any text: every script the agencies' clients write in, and emoji with flags, printed with real
glyphs; a name of any length wraps and never pushes the client number off the page.

Glyphs are checked in the PDF itself: every glyph the page's text draws must exist in the embedded font that
draws it, and none may be the .notdef box.
"""

import io

import pytest
from django.urls import reverse
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from tests.factories import ClientFactory, FamilyFactory, MentorMatchFactory, SessionFactory

pytestmark = pytest.mark.django_db

NAMES = {
    "Latin with diacritics": ("Zoë-Élodie", "Nguyễn Đức"),
    "Arabic": ("محمد", "الأحمد"),
    "Chinese": ("王芳", "李"),
    "Devanagari": ("प्रिया", "शर्मा"),
    "Tamil": ("கமலா", "சுப்ரமணியம்"),
    "Amharic": ("አበበ", "ቢቂላ"),
    "Cyrillic": ("Ирина", "Шевченко"),
}
EMOJI = "Family 👩‍👩‍👧, flag 🇨🇦 🇺🇦 🇸🇾, 🙂"
LONG_NAME = "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegt"


def document_url(client, document: str) -> str:
    return reverse("reports:client-document", kwargs={"code": client.code, "document": document}) + "?format=pdf"


def missing_glyphs(pdf: bytes) -> list[tuple[str, int]]:
    """(font, glyph id) of each glyph drawn that its embedded font does not have, or that is .notdef."""
    reader = PdfReader(io.BytesIO(pdf))
    missing = []
    for page in reader.pages:
        glyph_orders = {}
        for name, reference in page["/Resources"]["/Font"].items():
            font = reference.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = (descriptor.get("/FontFile2") or descriptor.get("/FontFile3")).get_object().get_data()
            glyph_orders[name] = (str(font["/BaseFont"]), TTFont(io.BytesIO(program)).getGlyphOrder())
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = operands[0]
            elif operator in (b"Tj", b"TJ"):
                font_name, order = glyph_orders[current]
                for item in operands[0] if operator == b"TJ" else [operands[0]]:
                    codes = getattr(item, "original_bytes", b"")
                    for index in range(0, len(codes) - 1, 2):
                        glyph = codes[index] * 256 + codes[index + 1]
                        if glyph >= len(order) or order[glyph] == ".notdef":
                            missing.append((font_name, glyph))
    return missing


def pdf_of(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("document", ["receipt", "card"])
@pytest.mark.parametrize("script", sorted(NAMES))
def test_every_script_prints_with_real_glyphs(document, script, caseworker, caseworker_client):
    first, last = NAMES[script]
    client = ClientFactory(registered_by=caseworker, first_name=first, last_name=last, comments=EMOJI)

    pdf = pdf_of(caseworker_client.get(document_url(client, document)))

    assert missing_glyphs(pdf) == []
    assert str(client.number) in pdf_text(pdf)


def test_emoji_and_flags_print_with_the_emoji_font(caseworker, caseworker_client):
    client = ClientFactory(registered_by=caseworker, first_name="Amina 🇨🇦", last_name="Haddad 👩‍👩‍👧")

    pdf = pdf_of(caseworker_client.get(document_url(client, "receipt")))

    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
    }
    assert any("Emoji" in font for font in fonts), fonts
    assert missing_glyphs(pdf) == []


def test_the_missing_glyph_check_sees_a_box():
    from reports.pdf import pdf_render

    # A font that has no Arabic: the check must report the glyphs it draws as missing.
    pdf = pdf_render("<html><body><p style=\"font-family: 'DejaVu Sans Mono'\">x محمد</p></body></html>")
    fallback = missing_glyphs(pdf)
    # Fontconfig falls back to a font that has the glyphs, so nothing is missing...
    assert fallback == []
    # ...while a PUA code point no font has is drawn as a box, and seen.
    assert missing_glyphs(pdf_render("<html><body><p>\U000f0000</p></body></html>")) != []


@pytest.mark.parametrize("document", ["receipt", "card", "history", "mentor-history"])
def test_a_long_unbroken_name_leaves_the_client_number_whole_on_the_page(document, caseworker, caseworker_client):
    client = ClientFactory(registered_by=caseworker, first_name="Amara", last_name=LONG_NAME[:99])

    reader = PdfReader(io.BytesIO(pdf_of(caseworker_client.get(document_url(client, document)))))
    page = reader.pages[0]
    width = float(page.mediabox.width)
    placed = []

    def visit(text, cm, tm, font, size):
        if str(client.number) in text:
            placed.append(tm[4] * cm[0] + cm[4])

    page.extract_text(visitor_text=visit)
    assert placed, "the client number is not on the first page"
    # Its whole width (seven digits at the box's size) fits inside the page's right margin.
    assert all(0 < x < width - 40 for x in placed), (placed, width)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("María Guadalupe", "Fernández-Castellanos de la Torre"),
        ("Amara", LONG_NAME[:99]),
        (LONG_NAME[:100], LONG_NAME[:100]),  # the longest name there can be
    ],
)
def test_the_client_card_prints_a_long_name_whole_on_more_lines(first, last, caseworker, caseworker_client):
    client = ClientFactory(registered_by=caseworker, first_name=first, last_name=last)

    reader = PdfReader(io.BytesIO(pdf_of(caseworker_client.get(document_url(client, "card")))))
    lines = {}  # the name's lines, by height on the card
    heights = {}  # of the last line of the card's text and of its bottom band

    def visit(text, cm, tm, font, size):
        height = round(tm[5] * cm[3] + cm[5])
        if text.strip() and text.strip() in client.display_name:
            lines[height] = text.strip()
        for said in ("Questions?", str(client.registration_date.year)):
            if said in text:
                heights[said] = height

    reader.pages[0].extract_text(visitor_text=visit)
    assert len(reader.pages) == 1
    # Wider than the card, the name goes on over more lines, whole (one line was cut short by an ellipsis)...
    assert len(lines) >= 2, lines
    assert "".join(lines[height] for height in sorted(lines, reverse=True)).replace(" ", "") == (
        client.display_name.replace(" ", "")
    )
    # ...and what comes after it stays above the card's bottom band.
    assert heights[str(client.registration_date.year)] > heights["Questions?"] + 8, heights


def test_a_latin_receipt_prints_in_dejavu_only_its_digits_included(caseworker, caseworker_client):
    client = ClientFactory(registered_by=caseworker, first_name="Amara", last_name="Okafor")

    pdf = pdf_of(caseworker_client.get(document_url(client, "receipt")))

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[1] for font in page["/Resources"]["/Font"].values()}
    assert "DejaVu-Sans" in fonts, fonts
    assert fonts <= {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique"}, fonts


NOTE = "Met about housing and the language assessment; follow-up booked. " * 4


def with_many_pages(client, document: str, staff) -> None:
    """Enough rows for the document to run over several pages."""
    if document == "history":
        SessionFactory.create_batch(30, client=client, notes=NOTE)
    elif document == "mentor-history":
        MentorMatchFactory.create_batch(40, client=client, notes=NOTE)
    else:  # the receipt lists the client's family
        client.family = FamilyFactory(agency=client.agency)
        client.save()
        ClientFactory.create_batch(60, registered_by=staff, family=client.family)


def running_header(page) -> list[tuple[float, float, str]]:
    """The text in the page's top margin (24 mm), as (x, font size, text) runs, line by line from the top."""
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and y > height - 24 / 25.4 * 72:
            found.append((-round(y), tm[4] * cm[0] + cm[4], size * tm[0] * cm[0], text))

    page.extract_text(visitor_text=visit)
    return [(x, size, text) for _y, x, size, text in sorted(found)]


@pytest.mark.parametrize("document", ["receipt", "history", "mentor-history"])
def test_every_page_after_the_first_shows_the_whole_client_number_beside_a_long_name_cut_cleanly(
    document, caseworker, caseworker_client
):
    client = ClientFactory(registered_by=caseworker, first_name="Amara", last_name=LONG_NAME[:99])
    with_many_pages(client, document, caseworker)

    reader = PdfReader(io.BytesIO(pdf_of(caseworker_client.get(document_url(client, document)))))

    assert len(reader.pages) >= 2
    for page in reader.pages[1:]:
        header = running_header(page)
        text = " ".join(text.strip() for _x, _size, text in header)
        assert f"Client number {client.number}" in text, text
        # The number's text ends inside the page (what goes past its edge is drawn, and clipped); its letters
        # are counted at 0.65 em, wider than DejaVu Sans's average.
        width = float(page.mediabox.width)
        assert all(x + len(text) * 0.65 * size < width for x, size, text in header if str(client.number) in text), (
            header
        )
        # ...and the name is cut with "…".
        assert "Amara Wolfeschlegel" in text and "…" in text and LONG_NAME[:99] not in text, text
