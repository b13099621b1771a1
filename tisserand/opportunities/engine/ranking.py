"""Rank offers for one person, or persons for one offer, best first."""

from dataclasses import replace

from tisserand.opportunities.engine.scoring import score

MIN_SCORE = 0.05


def rank_offers(person, offers, *, skill_labels=None, limit=50):
    """The ``Match``es of ``person`` for ``offers``, best first (key: the offer's)."""
    matches = [score(person, offer, skill_labels) for offer in offers]
    matches = [match for match in matches if match.score >= MIN_SCORE]
    matches.sort(key=lambda match: (-match.score, str(match.key)))
    return matches[:limit]


def rank_persons(offer, persons, *, skill_labels=None, limit=50):
    """The ``Match``es of ``persons`` for ``offer``, best first (key: the person's)."""
    matches = [replace(score(person, offer, skill_labels), key=person.key) for person in persons]
    matches = [match for match in matches if match.score >= MIN_SCORE]
    matches.sort(key=lambda match: (-match.score, str(match.key)))
    return matches[:limit]
