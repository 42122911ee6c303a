"""The detector the French walk-through relies on: it must find English, and leave French, names and codes."""

from tests.browser.english_words import english_in


def test_it_finds_the_english_words_of_a_french_page():
    text = "Enregistrer la séance · Save · Street · Date · Province · Rue · iCARE · Unemployed · Sans emploi"

    assert english_in(text) == ["save", "street", "unemployed"]


def test_it_leaves_out_known_names_where_they_stand_only():
    text = "Maple Test Agency · Test Worker3 · Agency"

    assert english_in(text, known=["Maple Test Agency", "Test Worker3"]) == ["agency"]
