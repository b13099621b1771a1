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


# --- Names of the bassins d'emploi ------------------------------------------------------------
# France Travail writes them in capitals without accents, cut to fit 25 characters:
# « VERSANT N-EST ROUB.TOURC. », « FONTENAY LE CTE », « LES SABLES D OLONNES ».
ABBREVIATED_WORDS = {
    "ST": "Saint",
    "STE": "Sainte",
    "STS": "Saints",
    "CTE": "Comte",
    "MT": "Mont",
    "GD": "Grand",
    "GDE": "Grande",
    "AGGLO": "agglomération",
    "VAL": "Vallée",
    "ROUB": "Roubaix",
    "TOURC": "Tourcoing",
}
DIRECTIONS = {"N": "nord", "S": "sud", "E": "est", "O": "ouest"}
ELIDED = {"D", "L"}  # « D OLONNES »: an apostrophe written as a space
_versant = re.compile(r"^VERSANT (?P<side>[A-Z]+(?:-[A-Z]+)?) (?P<area>.+)$")


def bassin_display_name(name):
    """The name of a bassin d'emploi written out: « VERSANT N-EST ROUB.TOURC. » →
    « Roubaix-Tourcoing (versant nord-est) ». A name already in mixed case is kept as it is."""
    name = " ".join(name.split())
    if not name or any(letter.islower() for letter in name):
        return name
    versant = _versant.match(name)
    if versant:
        return f"{_place(versant['area'])} (versant {_direction(versant['side'])})"
    return _place(name)


def _direction(side):
    return "-".join(DIRECTIONS.get(part, part.lower()) for part in side.split("-"))


def _place(text):
    words, elision = [], ""
    for index, token in enumerate(text.split(" ")):
        if token in ELIDED and index > 0:
            elision = token.lower() + "'"
            continue
        words.append(elision + _token(token, first=index == 0 and not elision))
        elision = ""
    return " ".join(words)


def _token(token, first):
    """One word; « ROUB.TOURC. » (abbreviations glued by their dots) are two places."""
    if "." in token.strip("."):
        return "-".join(_word(part, first) for part in token.split(".") if part)
    return _word(token.rstrip("."), first)


def _word(word, first):
    if word in ABBREVIATED_WORDS:
        return ABBREVIATED_WORDS[word]
    parts = re.split(r"([-'])", word.casefold())
    return "".join(
        part
        if part in "-'" or (part in SMALL_WORDS and not (first and at == 0))
        else part[:1].upper() + part[1:]
        for at, part in enumerate(parts)
    )
