"""clients.text.fold: names as search and the duplicate check compare them."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from clients.text import NON_WORD, SPECIAL_LETTERS, fold


def folded_the_long_way(text: str) -> str:
    """Every text decomposed, its accents dropped: what fold does, without its shortcut for plain ASCII."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(SPECIAL_LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return NON_WORD.sub(" ", plain.translate(SPECIAL_LETTERS)).strip()


def test_it_drops_case_accents_and_punctuation():
    assert fold("Nguyễn  Đức") == "nguyen duc"
    assert fold("O'Brien-Smith") == "o brien smith"
    assert fold("Zoë Bélanger") == "zoe belanger"
    assert fold("Łukasz Øberg Straße") == "lukasz oberg strasse"
    assert fold("") == fold(None) == ""


@given(st.text(max_size=30))
def test_any_text_folds_as_the_long_way_does(text):
    assert fold(text) == folded_the_long_way(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_ascii_text_folds_as_the_long_way_does(text):
    assert fold(text) == folded_the_long_way(text)
