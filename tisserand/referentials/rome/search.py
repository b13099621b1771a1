"""Accent- and typo-tolerant search of job titles, skills and NAF sub-classes.

Each referential is held in a small in-memory word index, built once per process from the
normalised texts stored by the import and rebuilt when a newer import run exists. A query
word matches an indexed word exactly, as its beginning (search as you type), or with a typo
(rapidfuzz on the vocabulary, a few thousand words, not on the entries).
"""

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from tisserand.core.text import STOP_WORDS as FRENCH_STOP_WORDS
from tisserand.referentials.rome.models import (
    Appellation,
    Fiche,
    ImportRun,
    NafSubclass,
    Skill,
)
from tisserand.referentials.rome.text import normalize

STOP_WORDS = FRENCH_STOP_WORDS | {"ou", "par", "pour", "un", "une"}
EXACT, PREFIX = 1.0, 0.9
TYPO_WEIGHT = 0.8
ROME_CODE = re.compile(r"^[A-Na-n]\d{4}$")
NAF_CODE = re.compile(r"^(\d{2})\.?(\d{0,2})([A-Za-z]?)$")


def _typo_cutoff(token):
    return 75 if len(token) <= 5 else 80


COVERAGE_WEIGHT = 0.2


@dataclass(frozen=True)
class Entry:
    key: int
    words: tuple
    boost: float

    @property
    def content_words(self):
        return {word for word in self.words if word not in STOP_WORDS} or set(self.words)


class WordIndex:
    """Entries (a key, a normalised text, a boost) searchable word by word."""

    def __init__(self, entries):
        self.entries = [Entry(key, tuple(text.split()), boost) for key, text, boost in entries]
        postings = {}
        for position, entry in enumerate(self.entries):
            for word in set(entry.words):
                postings.setdefault(word, []).append(position)
        self.postings = postings
        self.vocabulary = sorted(postings)
        self._prefixes = {}

    def __len__(self):
        return len(self.entries)

    def _words_starting_with(self, token):
        start = bisect_left(self.vocabulary, token)
        words = []
        for word in self.vocabulary[start:]:
            if not word.startswith(token):
                break
            words.append(word)
        return words

    def _prefixes_of_length(self, length):
        if length not in self._prefixes:
            self._prefixes[length] = [word[:length] for word in self.vocabulary]
        return self._prefixes[length]

    def matching_words(self, token):
        """{indexed word: score} for one query word."""
        scores = {}
        if token in self.postings:
            scores[token] = EXACT
        if len(token) >= 2:
            for word in self._words_starting_with(token):
                scores.setdefault(word, PREFIX)
        # Typos only for a word that matches nothing as written: « electricien » must not
        # bring « electronicien » along.
        if len(token) >= 4 and not scores:
            cutoff = _typo_cutoff(token)
            for _, similarity, at in process.extract(
                token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=40
            ):
                word = self.vocabulary[at]
                scores.setdefault(word, TYPO_WEIGHT * similarity / 100)
            prefixes = self._prefixes_of_length(len(token))
            for _, similarity, at in process.extract(
                token, prefixes, scorer=fuzz.ratio, score_cutoff=cutoff, limit=200
            ):
                word = self.vocabulary[at]
                scores.setdefault(word, TYPO_WEIGHT * 0.95 * similarity / 100)
        return scores

    def search(self, query, limit=20, partial=True):
        """The keys of the best entries for ``query``, best first.

        An entry must match every query word (with ``partial``: all but one from three words
        on, or when nothing matches them all); it ranks by
        how well the words match, then by how much of the entry the query covers (the plain
        title before its variants), the main title and common titles first.
        """
        tokens = normalize(query).split()
        tokens = [token for token in tokens if token not in STOP_WORDS] or tokens
        if not tokens:
            return []
        words_per_token = [self.matching_words(token) for token in tokens]
        totals, matched = {}, {}
        for words in words_per_token:
            for position, score in self._entry_scores(words).items():
                totals[position] = totals.get(position, 0.0) + score
                matched[position] = matched.get(position, 0) + 1
        needed = len(tokens) if len(tokens) < 3 or not partial else len(tokens) - 1
        if partial and not any(count >= needed for count in matched.values()):
            needed = max(1, len(tokens) - 1)
        matched_words = set().union(*words_per_token)
        first_token = tokens[0]
        ranked = []
        for position, count in matched.items():
            if count < needed:
                continue
            entry = self.entries[position]
            content = entry.content_words
            coverage = len(content & matched_words) / len(content)
            score = (
                totals[position] / len(tokens)
                + COVERAGE_WEIGHT * coverage
                + entry.boost
                - 0.002 * len(entry.words)
            )
            if entry.words and entry.words[0].startswith(first_token):
                score += 0.05
            if count < len(tokens):
                score -= 0.5
            ranked.append((-score, position))
        ranked.sort()
        return [self.entries[position].key for _, position in ranked[:limit]]

    def _entry_scores(self, words):
        scores = {}
        for word, score in words.items():
            for position in self.postings[word]:
                if scores.get(position, 0.0) < score:
                    scores[position] = score
        return scores


# --- one index per referential, rebuilt after an import -------------------------------------

_lock = threading.Lock()
_indexes = {}


def _latest_run(kind):
    return (
        ImportRun.objects.filter(kind=kind)
        .order_by("-finished_at", "-pk")
        .values_list("public_id", flat=True)
        .first()
    )


def _index(name, kind, build):
    version = _latest_run(kind)
    cached = _indexes.get(name)
    if cached is not None and cached[0] == version and version is not None:
        return cached[1]
    with _lock:
        index = WordIndex(build())
        _indexes[name] = (version, index)
        return index


def invalidate():
    _indexes.clear()


def _appellation_entries():
    rows = Appellation.objects.filter(is_obsolete=False).values_list(
        "pk", "search_text", "classification", "is_rarely_used"
    )
    return [
        (
            pk,
            text,
            (0.03 if classification == Appellation.Classification.MAIN else 0.0)
            - (0.05 if rarely_used else 0.0),
        )
        for pk, text, classification, rarely_used in rows
    ]


def _skill_entries():
    rows = Skill.objects.filter(is_obsolete=False).values_list("pk", "label", "is_macro")
    return [(pk, normalize(label), 0.02 if is_macro else 0.0) for pk, label, is_macro in rows]


def _naf_entries():
    return [(pk, text, 0.0) for pk, text in NafSubclass.objects.values_list("pk", "search_text")]


def appellation_index():
    return _index("appellations", ImportRun.Kind.ROME, _appellation_entries)


def skill_index():
    return _index("skills", ImportRun.Kind.ROME, _skill_entries)


def naf_index():
    return _index("naf", ImportRun.Kind.NAF, _naf_entries)


def _in_order(queryset, keys):
    found = queryset.in_bulk(keys)
    return [found[key] for key in keys if key in found]


def search_appellations(query, limit=20, partial=True):
    """Job titles for a query (words, with typos, or a ROME code), each with its fiche.

    With ``partial``, titles matching all the words but one come when no title matches them
    all (a search page); without, every word must match (a picker).
    """
    query = query.strip()
    current = Appellation.objects.filter(is_obsolete=False).select_related("fiche")
    if ROME_CODE.match(query):
        return list(
            current.filter(fiche__code=query.upper()).order_by("classification", "label")[:limit]
        )
    return _in_order(current, appellation_index().search(query, limit, partial))


def search_fiches(query, limit=20, partial=True):
    """Fiches for a query: a ROME code, or the fiches of the best matching job titles."""
    query = query.strip()
    if ROME_CODE.match(query):
        return list(Fiche.objects.filter(code=query.upper()))
    fiches = {}
    for appellation in search_appellations(query, limit * 3, partial):
        fiches.setdefault(appellation.fiche.code, appellation.fiche)
    return list(fiches.values())[:limit]


def search_skills(query, limit=20, partial=True):
    current = Skill.objects.filter(is_obsolete=False)
    return _in_order(current, skill_index().search(query, limit, partial))


def search_naf(query, limit=20, partial=True):
    """NAF sub-classes for a code (6201Z, 62.01Z, 62.0) or words of the label."""
    code = NAF_CODE.match(query.strip())
    if code:
        prefix = "".join(code.groups()).upper()
        return list(NafSubclass.objects.filter(code__startswith=prefix).order_by("code")[:limit])
    return _in_order(NafSubclass.objects.all(), naf_index().search(query, limit, partial))
