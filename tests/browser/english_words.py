"""Finds English left on a French page.

A word is English when OCMS says it in English and never in French: a word of the English catalogue (every msgid of
locale/fr/LC_MESSAGES/django.po), of IRCC's lists or of the agencies' starting lists, or one of the common English
words below, that no French text of OCMS uses (the catalogue's msgstrs, the lists' French labels, CLDR's French
language names). "Date", "Client", "Province" or "Type" are French as well and never count; "Save", "Next", "Street"
or "Unemployed" do. A string nobody marked for translation is caught through its words: they are OCMS's words, or
common English ones.

Only the text a person sees counts, the way a screen reader reads it: text inside an element whose lang attribute
names another language than French (the English button of the language switch, an English-only site name marked
lang="en", a street type) is in that language on purpose, and is left out.
"""

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from django.conf import settings

from agencies.lists import AGENCY_LIST_START, icare_labels, icare_lists

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
ALLOWED = Path(__file__).with_name("french_walk_allowed.txt")

# English words common in any interface, in case a string never reached the catalogue.
COMMON_ENGLISH_TEXT = """
    a about add after all an and any are as at back be before but by cancel change choose click close continue
    delete details do does done download each edit enter error file find for from has have here hide how if in into
    is it its last list may more must name new next no none not now of on one open or other our over print remove
    required save search see select send show start step than that the their them then there these this those to
    type unknown up update upload view was we were what when where which who will with yes you your"""
COMMON_ENGLISH = set(COMMON_ENGLISH_TEXT.split())

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}")
WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> set[str]:
    """The words of a text, in lower case; single letters ("e.g.", "N", "W") are never taken for English."""
    return {word.casefold() for word in WORD.findall(PLACEHOLDER.sub(" ", text or "")) if len(word) > 1}


def texts(message_part) -> tuple[str, ...]:
    return message_part if isinstance(message_part, tuple) else (message_part,)


@cache
def english_only_words() -> frozenset[str]:
    english, french = set(COMMON_ENGLISH), set()
    with CATALOGUE.open("rb") as handle:
        for message in read_po(handle):
            if message.id:
                english.update(*(words(text) for text in texts(message.id)))
                french.update(*(words(text) for text in texts(message.string)))
    for name, values in icare_lists().items():
        for value in values:
            english |= words(value)
            labels = icare_labels(name, value)
            french |= words(labels["label_fr"])
            if labels["lang"] != "en":  # a French street type ("Rue"), or one of both languages ("Avenue")
                french |= words(value)
    for items in AGENCY_LIST_START.values():
        for label, label_fr, _group in items:
            english |= words(label)
            french |= words(label_fr)
    french_names = Locale.parse("fr_CA")
    for name in [*french_names.languages.values(), *french_names.territories.values()]:
        french |= words(name)
    return frozenset(english - french)


@cache
def allowed_words() -> frozenset[str]:
    """The short list of exceptions beside the test: codes and names OCMS writes the same in both languages."""
    lines = ALLOWED.read_text(encoding="utf-8").splitlines()
    return frozenset(words(" ".join(line.split("#", 1)[0] for line in lines)))


def english_in(text: str, *, known: Iterable[str] = ()) -> list[str]:
    """The English words of a French page's text, leaving out the allowed codes and the `known` texts: the names of
    the people and the agency the page shows, what was typed. A name is left out where it stands, whole, so the
    words of "Maple Test Agency" count anywhere else."""
    for name in sorted(known, key=len, reverse=True):
        text = text.replace(name, " ")
    return sorted(words(text) & english_only_words() - allowed_words())


# The page's visible text (innerText), less the elements marked as written in another language than French. Chromium
# gives a drop-down's every option in innerText, hidden or not: the options are read one by one instead.
VISIBLE_FRENCH_TEXT = """() => {
  const french = (e) => (e.closest('[lang]')?.lang || '').startsWith('fr');
  const selects = [...document.body.querySelectorAll('select')];
  const options = selects
    .filter((s) => s.checkVisibility())
    .flatMap((s) => [...s.options].filter(french).map((o) => o.text));
  const foreign = [...document.body.querySelectorAll('[lang]')].filter((e) => !french(e) && !e.closest('select'));
  const hidden = [...selects, ...foreign];
  const shown = hidden.map((e) => e.style.getPropertyValue('display'));
  hidden.forEach((e) => e.style.setProperty('display', 'none', 'important'));
  const text = document.body.innerText;
  hidden.forEach((e, i) => e.style.setProperty('display', shown[i]));
  return [text, ...options].join('\\n');
}"""


def french_page_text(page) -> str:
    return page.evaluate(VISIBLE_FRENCH_TEXT)
