"""Finding persons by name: every word of the query, accents and case ignored, and one or two
typing mistakes forgiven (« delcrox » finds DELCROIX) when a word matches no name as typed."""

from functools import reduce
from operator import or_

from django.db.models import Q
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tisserand.people.text import normalise_name

# Shorter words are matched as typed only: one mistake in « li » finds anybody.
MIN_TOLERANT_LENGTH = 4
# Words up to this length forgive one mistake, longer ones two.
ONE_MISTAKE_UP_TO = 5


def matching(persons, query):
    """The ``persons`` (a queryset) whose names contain every word of ``query``.

    A word found in no name as typed is replaced by the closest name words within one mistake
    (two for a word longer than five letters), among the names of ``persons`` only.
    """
    for word in normalise_name(query).split():
        exact = persons.filter(search_name__contains=word)
        if len(word) < MIN_TOLERANT_LENGTH or exact.exists():
            persons = exact
            continue
        close = close_words(word, persons.values_list("search_name", flat=True).distinct())
        if not close:
            return exact
        persons = persons.filter(reduce(or_, (Q(search_name__contains=w) for w in close)))
    return persons


def close_words(word, names):
    """The words of ``names`` closest to ``word``, within the mistakes its length allows."""
    mistakes = 1 if len(word) <= ONE_MISTAKE_UP_TO else 2
    vocabulary = sorted({part for name in names for part in name.split()})
    found = process.extract(
        word, vocabulary, scorer=Levenshtein.distance, score_cutoff=mistakes, limit=None
    )
    fewest = min((distance for _, distance, _ in found), default=None)
    return sorted(candidate for candidate, distance, _ in found if distance == fewest)
