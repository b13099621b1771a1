"""The lowest qualification level giving access to an occupation, read from its ROME text.

The ROME « accès au métier » text says in words which diplomas open the occupation
(« accessible sans diplôme », « avec un CAP », « un Bac+2 à Bac+5 »…). The lowest level it
names, on the 2019 national frame (1–2 no diploma, 3 CAP/BEP, 4 Bac, 5 Bac+2, 6 Bac+3/4,
7 Bac+5, 8 doctorate), is a fair estimate of the entry level; None when it names none.
"""

import re
import unicodedata

LEVEL_LABELS = {
    1: "sans diplôme",
    2: "sans diplôme",
    3: "CAP, BEP (niveau 3)",
    4: "Bac (niveau 4)",
    5: "Bac+2 (niveau 5)",
    6: "Bac+3 ou Bac+4 (niveau 6)",
    7: "Bac+5 (niveau 7)",
    8: "doctorat (niveau 8)",
}

_BAC_PLUS = {"1": 5, "2": 5, "3": 6, "4": 6, "5": 7, "6": 7, "8": 8}
# Patterns on the accent-free, lower-case text; each gives a level.
_PATTERNS = [
    (re.compile(r"\bsans (aucun )?(diplome|qualification|formation)"), 1),
    (re.compile(r"\bsans condition de diplome|\btous les niveaux\b|\bcaces\b"), 1),
    (re.compile(r"\baccompagnant educatif et social\b"), 3),
    (re.compile(r"\bdiplome d etat d (aide soignant|auxiliaire de puericulture)"), 4),
    (re.compile(r"\bdiplome d etat (d infirmier|d educateur|d assistant de service social)"), 6),
    (re.compile(r"\b(cap|capa|bep|bepa|cqp|niveau 3|niveau v)\b"), 3),
    (re.compile(r"\btitre professionnel\b"), 3),
    (
        re.compile(r"\b(bac pro|bac professionnel|bac technologique|brevet professionnel|bp|bt)\b"),
        4,
    ),
    (re.compile(r"\b(baccalaureat|niveau 4|niveau iv|bpjeps)\b"), 4),
    (re.compile(r"\b(bts|btsa|dut|deust|niveau 5|niveau iii)\b"), 5),
    (re.compile(r"\b(licence|licence professionnelle|but|niveau 6|niveau ii)\b"), 6),
    (re.compile(r"\b(master|ingenieur|niveau 7|niveau i)\b"), 7),
    (re.compile(r"\b(doctorat|niveau 8)\b"), 8),
]
_BAC_PLUS_PATTERN = re.compile(r"\bbac\s*\+\s*(\d)")
_PLAIN_BAC = re.compile(r"\bbac\b(?!\s*\+)")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[’'\-]", " ", text)


def access_level(text: str | None) -> int | None:
    """The lowest level the first sentences of ``text`` name, or None."""
    if not text:
        return None
    head = _plain(" ".join(text.splitlines()[:2]))
    levels = [_BAC_PLUS[digit] for digit in _BAC_PLUS_PATTERN.findall(head) if digit in _BAC_PLUS]
    if _PLAIN_BAC.search(head):
        levels.append(4)
    levels.extend(level for pattern, level in _PATTERNS if pattern.search(head))
    return min(levels) if levels else None


def access_summary(text: str | None) -> str:
    """The first sentence of the access text, for explanations."""
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return first.split(". ")[0].rstrip(".") + "." if first else ""


def level_label(level: int) -> str:
    return LEVEL_LABELS.get(level, "")
