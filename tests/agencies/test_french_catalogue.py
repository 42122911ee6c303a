"""The French catalogue (locale/fr) holds exactly the messages of the code, each translated.

`make messages` extracts them again (Django's makemessages, with xgettext) and merges the catalogue. A message it
does not find, such as a gettext call written inside an f-string, keeps its translation only for as long as the
catalogue is not extracted again; a message added without a translation shows in English on French pages. Here the
messages are extracted as `make messages` extracts them, in a copy of the project, and compared with the catalogue.
"""

import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path("fr", "LC_MESSAGES", "django.po")
# As the Makefile's `messages` target.
IGNORED = ["node_modules", ".venv", "staticfiles"]


def active(path: Path) -> dict:
    """The catalogue's messages (not the obsolete ones), by id and context."""
    with path.open("rb") as po:
        catalog = read_po(po)
    return {(message.context, forms(message.id)): message for message in catalog if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    """The catalogue as `make messages` would leave it: the code's messages, merged with the committed ones. Done in
    a copy of the project, as makemessages writes into the catalogue of the files it reads; once for the tests here."""
    copy = tmp_path_factory.mktemp("messages") / "project"
    shutil.copytree(
        settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*IGNORED, ".git", "media", "*.sqlite3", "__pycache__")
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        patch.setattr(settings, "LOCALE_PATHS", [copy / "locale"])
        call_command("makemessages", locale=["fr"], ignore_patterns=IGNORED, verbosity=0)
    return active(copy / "locale" / CATALOGUE)


def test_the_catalogue_holds_exactly_the_messages_of_the_code(extracted):
    committed = active(Path(settings.LOCALE_PATHS[0]) / CATALOGUE)

    assert sorted(set(extracted) - set(committed), key=str) == [], "in the code, not in the catalogue: make messages"
    assert sorted(set(committed) - set(extracted), key=str) == [], "in the catalogue, but makemessages does not find it"


def test_every_message_of_the_code_is_translated(extracted):
    untranslated = [key for key, message in extracted.items() if message.fuzzy or not all(forms(message.string))]
    assert untranslated == []


def test_the_compiled_catalogue_is_the_catalogue():
    """locale/fr's .mo, which Django reads, compiled from the .po as it is (`make messages` compiles it)."""
    committed = active(Path(settings.LOCALE_PATHS[0]) / CATALOGUE)
    with (Path(settings.LOCALE_PATHS[0]) / CATALOGUE.with_suffix(".mo")).open("rb") as mo:
        compiled = {
            (text(message.context), forms(message.id)): forms(message.string) for message in read_mo(mo) if message.id
        }

    assert compiled == {key: forms(message.string) for key, message in committed.items() if not message.fuzzy}


def text(context: str | bytes | None) -> str | None:
    """A message's context as text: Babel reads it from a .mo as bytes."""
    return context.decode() if isinstance(context, bytes) else context


def forms(value) -> tuple:
    """A message's id or translation as a tuple of its forms (one, or a plural's), however the reader gave it."""
    return tuple(value) if isinstance(value, list | tuple) else (value,)
