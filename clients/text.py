"""Text as search compares it: lower case, accents and punctuation removed."""

import re
import unicodedata

# Letters NFKD does not split into a base letter and an accent.
SPECIAL_LETTERS = str.maketrans(
    {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)
NON_WORD = re.compile(r"[^a-z0-9]+")


def accents_folded() -> tuple[str, str]:
    """The accented Latin letters (either case) and the plain lower-case letter fold() makes of each, as PostgreSQL's
    translate() takes them: so that text folded in SQL (the registration comments) finds the words fold() made of
    what was typed. A letter fold() makes two of (ß, æ) is left as it is."""
    accented, plain = [], []
    for code in range(0xC0, 0x250):
        letter = chr(code)
        folded = fold(letter)
        if len(folded) == 1 and folded.isascii() and folded.isalpha() and folded != letter:
            accented.append(letter)
            plain.append(folded)
    return "".join(accented), "".join(plain)


def comments_folded(column: str = "comments") -> str:
    """The registration comments as Find Client reads them on PostgreSQL: their words, folded as the typed words are
    ("réfugié" is "refugie"), as the index of migration clients 0016 holds them."""
    accented, plain = accents_folded()
    return f"to_tsvector('simple', translate(lower({column}), '{accented}', '{plain}'))"


def fold(text: str) -> str:
    """'Nguyễn Đức' -> 'nguyen duc': lower case, no accents, words separated by single spaces."""
    text = text or ""
    if text.isascii():  # most names: nothing to decompose (a third of the duplicate check's time went here)
        return NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(SPECIAL_LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return NON_WORD.sub(" ", plain.translate(SPECIAL_LETTERS)).strip()


def name_words(*names: str) -> list[str]:
    """The distinct folded words of a client's names, in order."""
    words: list[str] = []
    for name in names:
        for word in fold(name).split():
            if word not in words:
                words.append(word)
    return words
