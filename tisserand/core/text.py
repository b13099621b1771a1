"""Text folded for search and comparison: lower case, no accents, words split on punctuation.

Pure Python (no Django), shared by the referentials' searches and the persons' name keys.
"""

import re
import unicodedata

NON_WORD = re.compile(r"[^0-9a-z]+")
# French articles, prepositions and conjunctions, folded: the words a search or a name's
# capitalisation passes over. Each use adds the few it also needs.
STOP_WORDS = frozenset(
    ["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "sur"]
)


def _folding_table():
    """Accented Latin letters → their base letters, ligatures spelt out, apostrophes → space."""
    table = {"œ": "oe", "æ": "ae", "ß": "ss", "’": " ", "'": " "}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        table.setdefault(char, base)
    return str.maketrans(table)


FOLDING = _folding_table()


def fold(text):
    """« Aide-soignant / Aide-soignante » → « aide soignant aide soignante »."""
    text = (text or "").casefold().translate(FOLDING)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return NON_WORD.sub(" ", text).strip()
