"""Text normalisation for search: lower case, no accents, no punctuation."""

import re
import unicodedata

NON_WORD = re.compile(r"[^0-9a-z]+")


def _folding_table():
    """Accented Latin letters → their base letters, ligatures spelt out, apostrophes → space."""
    table = {"œ": "oe", "æ": "ae", "ß": "ss", "’": " ", "'": " "}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        table.setdefault(char, base)
    return str.maketrans(table)


FOLDING = _folding_table()


def normalize(text):
    """« Aide-soignant / Aide-soignante » → « aide soignant aide soignante »."""
    text = text.casefold().translate(FOLDING)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return NON_WORD.sub(" ", text).strip()


def search_text(*labels):
    """One normalised text for several labels, each word once, in order of appearance."""
    texts = dict.fromkeys(normalize(label) for label in labels if label)
    if len(texts) <= 1:
        return next(iter(texts), "")
    return " ".join(dict.fromkeys(" ".join(texts).split()))
