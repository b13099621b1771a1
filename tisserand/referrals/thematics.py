"""The data·inclusion thematics, shipped as data (``data/referrals/thematiques.json``) and loaded
idempotently by a reference-data loader: missing thematics are created, labels kept as edited.

``BARRIER_THEMATICS`` maps each barrier theme of a diagnosis (the ``barrier_theme`` vocabulary)
to the thematics that answer it, most specific first: a person's page proposes them, and the
search of services opens with them (« Contraintes familiales » → « Garde d'enfants »…).
"""

import json

from django.conf import settings
from django.db import transaction

from tisserand.referrals.models import Thematic

DATA_FILE = settings.BASE_DIR / "data" / "referrals" / "thematiques.json"

# Barrier theme (vocabulary ``barrier_theme``) → data·inclusion thematics, the first the closest.
BARRIER_THEMATICS = {
    "housing": ["logement-hebergement"],
    "employment": ["trouver-un-emploi", "preparer-sa-candidature", "choisir-un-metier"],
    "training": ["se-former"],
    "administrative": [
        "acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives",
        "acces-aux-droits-et-citoyennete",
    ],
    "financial": ["gestion-financiere"],
    "mobility": ["mobilite"],
    "health": ["sante", "handicap"],
    "family": ["famille--garde-denfants", "famille"],
    "french_language": ["apprendre-francais", "illettrisme"],
    "digital": ["numerique"],
}
# From this level of a barrier (``accompaniment.BarrierLevel``: 2 « frein important ») on, its
# thematics are proposed.
SUGGESTED_FROM_LEVEL = 2


def read_file(path=DATA_FILE):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    rows = []
    for position, family in enumerate(data["thematiques"], start=1):
        rows.append((family["code"], family["label"], None, position * 100))
        for rank, item in enumerate(family["terms"], start=1):
            rows.append((item["code"], item["label"], family["code"], position * 100 + rank))
    return rows


@transaction.atomic
def load_thematics(path=DATA_FILE):
    """Creates the missing thematics; returns how many."""
    rows = read_file(path)
    existing = dict(Thematic.objects.values_list("code", "pk"))
    missing = [row for row in rows if row[0] not in existing]
    families = [row for row in missing if row[2] is None]
    Thematic.objects.bulk_create(
        Thematic(code=code, label=label, order=order) for code, label, _, order in families
    )
    existing = dict(Thematic.objects.values_list("code", "pk"))
    Thematic.objects.bulk_create(
        Thematic(code=code, label=label, parent_id=existing[parent], order=order)
        for code, label, parent, order in missing
        if parent is not None
    )
    return len(missing)


def load(stdout):
    created = load_thematics()
    stdout.write(f"Thématiques data·inclusion : {created} créée(s).")


def ensure_loaded():
    if not Thematic.objects.exists():
        load_thematics()


def choices():
    """Form choices grouped by family (the family itself first, covering its thematics)."""
    groups = {}
    for thematic in Thematic.objects.select_related("parent"):
        family = thematic.parent or thematic
        label = (
            f"{thematic.label} (toute la famille)" if thematic.parent is None else thematic.label
        )
        groups.setdefault(family.label, []).append((thematic.code, label))
    return list(groups.items())


def suggested_for(barriers):
    """The thematic codes proposed for ``barriers`` ((theme, level) pairs), most severe first,
    without repeats."""
    codes = []
    for theme, level in sorted(barriers, key=lambda pair: -pair[1]):
        if level >= SUGGESTED_FROM_LEVEL:
            codes.extend(BARRIER_THEMATICS.get(theme, []))
    return list(dict.fromkeys(codes))
