"""Name keys without accents, case or punctuation ("Lefèvre-Durand" → "lefevre durand")."""

import re
import unicodedata

_separators = re.compile(r"[^a-z0-9]+")


def normalise_name(text):
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("œ", "oe").replace("Œ", "OE"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(word for word in _separators.split(plain) if word)


def name_key(*names):
    """The normalised names joined, for searching a person by any of their names."""
    return " ".join(key for key in (normalise_name(name) for name in names) if key)
