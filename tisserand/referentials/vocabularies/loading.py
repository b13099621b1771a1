"""Loads the shipped vocabularies (data/vocabularies/vocabularies.json), idempotently.

Missing vocabularies and terms are created; existing ones are left as they are, so that labels
edited or terms deactivated since stay so. Running it again when everything is there costs two
queries.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from tisserand.core.errors import DomainError
from tisserand.referentials.vocabularies.models import Term, Vocabulary

DATA_FILE = settings.BASE_DIR / "data" / "vocabularies" / "vocabularies.json"
ORDER_STEP = 10


class VocabularyFileError(DomainError, ValueError):
    pass


@dataclass(frozen=True)
class Entry:
    vocabulary: str
    code: str
    label: str
    order: int
    description: str = ""
    is_category: bool = False
    category: str | None = None
    is_active: bool = True


def read_entries(path=DATA_FILE):
    """(vocabularies, entries) of the file, checked: codes unique in their vocabulary."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    vocabularies, entries = [], []
    for position, vocabulary in enumerate(data["vocabularies"], start=1):
        vocabularies.append(
            {
                "code": vocabulary["code"],
                "label": vocabulary["label"],
                "description": vocabulary.get("description", ""),
                "order": position * ORDER_STEP,
            }
        )
        entries.extend(_entries_of(vocabulary))
    _check_unique(vocabularies, entries, path)
    return vocabularies, entries


def _entries_of(vocabulary):
    code = vocabulary["code"]
    for position, category in enumerate(vocabulary.get("categories", []), start=1):
        yield _entry(code, category, position, is_category=True)
        for rank, item in enumerate(category["terms"], start=1):
            yield _entry(code, item, rank, category=category["code"])
    for position, item in enumerate(vocabulary.get("terms", []), start=1):
        yield _entry(code, item, position)


def _entry(vocabulary, item, position, **extra):
    return Entry(
        vocabulary=vocabulary,
        code=item["code"],
        label=item["label"],
        order=item.get("order", position * ORDER_STEP),
        description=item.get("description", ""),
        is_active=item.get("active", True),
        **extra,
    )


def _check_unique(vocabularies, entries, path):
    codes = [v["code"] for v in vocabularies]
    if len(codes) != len(set(codes)):
        raise VocabularyFileError(f"{path} : un code de vocabulaire apparaît deux fois.")
    seen = set()
    for entry in entries:
        key = (entry.vocabulary, entry.code)
        if key in seen:
            raise VocabularyFileError(
                f"{path} : le code « {entry.code} » apparaît deux fois dans « {entry.vocabulary} »."
            )
        seen.add(key)


@transaction.atomic
def load_vocabularies(path=DATA_FILE):
    """Creates what is missing; returns the number of terms created."""
    vocabularies, entries = read_entries(path)
    existing_vocabularies = dict(Vocabulary.objects.values_list("code", "pk"))
    existing_terms = set(Term.objects.values_list("vocabulary__code", "code"))
    missing = [e for e in entries if (e.vocabulary, e.code) not in existing_terms]
    if not missing and all(v["code"] in existing_vocabularies for v in vocabularies):
        return 0
    for vocabulary in vocabularies:
        if vocabulary["code"] not in existing_vocabularies:
            created = Vocabulary.objects.create(**vocabulary)
            existing_vocabularies[created.code] = created.pk
    _create_terms([e for e in missing if e.is_category], existing_vocabularies)
    _create_terms([e for e in missing if not e.is_category], existing_vocabularies)
    return len(missing)


def _create_terms(entries, vocabulary_ids):
    categories = {
        (vocabulary_code, code): pk
        for pk, vocabulary_code, code in Term.objects.filter(is_category=True).values_list(
            "pk", "vocabulary__code", "code"
        )
    }
    Term.objects.bulk_create(
        Term(
            vocabulary_id=vocabulary_ids[entry.vocabulary],
            code=entry.code,
            label=entry.label,
            description=entry.description,
            order=entry.order,
            is_category=entry.is_category,
            is_active=entry.is_active,
            category_id=categories[(entry.vocabulary, entry.category)] if entry.category else None,
        )
        for entry in entries
    )


def load(stdout):
    """The reference-data loader (order 5)."""
    created = load_vocabularies()
    if created:
        stdout.write(f"  {created} termes de vocabulaires contrôlés créés.")
    else:
        stdout.write("  Vocabulaires contrôlés déjà chargés.")
