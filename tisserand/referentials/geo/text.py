"""Commune names: a search key that ignores accents and punctuation, and a display name."""

import re

from tisserand.core.text import STOP_WORDS, fold

# Abbreviations of La Poste and of users, expanded so that "st omer" finds "Saint-Omer".
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# Words of a commune's name written in lower case: « Marcq-en-Barœul », « Fontaine-lez-… ».
SMALL_WORDS = STOP_WORDS | {"lez", "sous"}
_arrondissement = re.compile(r"^(PARIS|MARSEILLE|LYON)[- ]0*([0-9]{1,2})$")


def search_key(text):
    """Lower case, no accents, words separated by one space, abbreviations expanded."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in fold(text).split())


def tidy_official_name(name):
    """The accented name of the bassins lexicon, with its few typing accidents mended."""
    name = re.sub(r"'\s+", "'", name.strip())
    return name[:1].upper() + name[1:]


def name_from_capitals(name):
    """A readable name from an upper-case one without accents (``LA-BASSEE`` → ``La-Bassee``)."""
    arrondissement = _arrondissement.match(name)
    if arrondissement:
        city, number = arrondissement.groups()
        suffix = "er" if number == "1" else "e"
        return f"{city.capitalize()} {number}{suffix} arrondissement"
    parts = re.split(r"([- ']+)", name.casefold())
    words = []
    for index, part in enumerate(parts):
        if index == 0 or (part not in SMALL_WORDS and not re.fullmatch(r"[- ']+", part)):
            part = part[:1].upper() + part[1:]
        words.append(part)
    return "".join(words)
