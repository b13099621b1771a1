"""Duplicate detection: same names and birth date, tolerant to typing mistakes.

Candidates are read in one query on the birth date — the date typed, or one typing mistake
away from it (a digit changed, two neighbouring digits swapped, day and month inverted) — then
their names are compared after normalisation (accents, case, punctuation, word order) with
rapidfuzz. A birth date that differs needs names almost identical.
"""

import datetime
from dataclasses import dataclass

from rapidfuzz import fuzz

from tisserand.people.models import Person
from tisserand.people.text import normalise_name

SAME_DATE_THRESHOLD = 85
OTHER_DATE_THRESHOLD = 95


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float
    same_birth_date: bool


def _date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def mistyped_dates(day):
    """The dates one typing mistake away from ``day`` (``day`` itself excluded)."""
    digits = day.strftime("%d%m%Y")
    variants = set()
    for index in range(len(digits)):
        for digit in "0123456789":
            variants.add(digits[:index] + digit + digits[index + 1 :])
        if index + 1 < len(digits):
            variants.add(digits[:index] + digits[index + 1] + digits[index] + digits[index + 2 :])
    dates = {_date(int(v[4:]), int(v[2:4]), int(v[:2])) for v in variants}
    dates.add(_date(day.year, day.day, day.month))
    dates.discard(None)
    dates.discard(day)
    return dates


def _names(last_name, first_name, birth_name):
    last_names = {normalise_name(last_name), normalise_name(birth_name)} - {""}
    first = normalise_name(first_name)
    return [f"{last} {first}" for last in last_names]


def name_similarity(a, b):
    """0–100: how alike two (last, first, birth) names are, taking the best pairing."""
    return max((_similarity(x, y) for x in _names(*a) for y in _names(*b)), default=0)


def _similarity(x, y):
    """Word order ignored (first and last names swapped), and spaces too (« Ben Ali »)."""
    return max(fuzz.token_sort_ratio(x, y), fuzz.ratio(x.replace(" ", ""), y.replace(" ", "")))


def find_duplicates(first_name, last_name, birth_date, birth_name="", *, exclude=None):
    """The persons, in any structure, who may be the same as the one described; best first."""
    if not (first_name and last_name and birth_date):
        return []
    persons = Person.objects.filter(
        birth_date__in={birth_date, *mistyped_dates(birth_date)}
    ).select_related("owner_structure")
    if exclude is not None:
        persons = persons.exclude(pk=exclude.pk)
    wanted = (last_name, first_name, birth_name)
    candidates = []
    for person in persons:
        score = name_similarity(wanted, (person.last_name, person.first_name, person.birth_name))
        same_date = person.birth_date == birth_date
        if score >= (SAME_DATE_THRESHOLD if same_date else OTHER_DATE_THRESHOLD):
            candidates.append(Candidate(person, score, same_date))
    return sorted(candidates, key=lambda c: (not c.same_birth_date, -c.score, c.person.pk))
