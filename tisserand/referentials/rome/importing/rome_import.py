"""Importing the ROME 4.0 pack: read and check everything, then write it in one transaction."""

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tisserand.referentials.rome.importing.csvfiles import ImportRefused, bulk_work
from tisserand.referentials.rome.importing.rome_pack import (
    APPELLATION_FIELDS,
    CENTRE_FIELDS,
    CONTEXT_FIELDS,
    FICHE_FIELDS,
    SKILL_FIELDS,
    read_pack,
    version_key,
)
from tisserand.referentials.rome.importing.sync import (
    replace_codes,
    sync_links,
    sync_references,
)
from tisserand.referentials.rome.models import (
    Appellation,
    Fiche,
    FicheContext,
    FicheInterest,
    FicheSkill,
    ImportRun,
    InterestCentre,
    Mobility,
    Skill,
    WorkContext,
)


def current_version():
    run = ImportRun.objects.filter(kind=ImportRun.Kind.ROME).order_by("-finished_at", "-pk").first()
    return run.version if run else None


def import_rome(path):
    """Imports the pack at ``path`` (folder or zip); returns the ``ImportRun``.

    Raises ``ImportFileError`` (bad file) or ``ImportRefused`` (older version) before writing.
    """
    with bulk_work():
        return _import(path)


def _import(path):
    started_at = timezone.now()
    pack = read_pack(path)
    current = current_version()
    if current and version_key(pack.version) < version_key(current):
        raise ImportRefused(
            f"la version {pack.version} du ROME est antérieure à la version {current} déjà "
            "importée : import refusé."
        )
    with transaction.atomic():
        stats = {"lignes": pack.counts(), "changements": _write(pack)}
        run = ImportRun.objects.create(
            kind=ImportRun.Kind.ROME,
            version=pack.version,
            source=Path(path).name,
            started_at=started_at,
            finished_at=timezone.now(),
            stats=stats,
        )
    return run


def _write(pack):
    version = pack.version
    changes = {}
    fiche_outcome, fiche_ids = sync_references(Fiche, "code", FICHE_FIELDS, pack.fiches, version)
    changes["fiches"] = fiche_outcome.as_dict()
    appellations = replace_codes(APPELLATION_FIELDS, pack.appellations, "fiche", fiche_ids)
    outcome, _ = sync_references(Appellation, "code_ogr", APPELLATION_FIELDS, appellations, version)
    changes["appellations"] = outcome.as_dict()
    changes["compétences"], skill_ids = _write_skills(pack)
    context_outcome, context_ids = sync_references(
        WorkContext, "code_ogr", CONTEXT_FIELDS, pack.contexts, version
    )
    changes["contextes"] = context_outcome.as_dict()
    centre_outcome, centre_ids = sync_references(
        InterestCentre, "code", CENTRE_FIELDS, pack.centres, version
    )
    changes["centres_interet"] = centre_outcome.as_dict()

    present = {fiche_ids[code] for code in pack.fiches}
    changes["liens_competences"] = sync_links(
        FicheSkill,
        ("fiche", "skill"),
        ("rubrique", "coeur_metier"),
        [
            (fiche_ids[f], skill_ids[s], rubrique, core)
            for f, s, rubrique, core in pack.fiche_skills
        ],
        "fiche",
        present,
    ).as_dict()
    changes["liens_contextes"] = sync_links(
        FicheContext,
        ("fiche", "context"),
        (),
        [(fiche_ids[f], context_ids[c]) for f, c in pack.fiche_contexts],
        "fiche",
        present,
    ).as_dict()
    changes["mobilites"] = sync_links(
        Mobility,
        ("source", "target"),
        ("rank",),
        [(fiche_ids[s], fiche_ids[t], rank) for s, t, rank in pack.mobilities],
        "source",
        present,
    ).as_dict()
    changes["liens_centres_interet"] = sync_links(
        FicheInterest,
        ("fiche", "centre"),
        ("is_main",),
        [(fiche_ids[f], centre_ids[c], is_main) for c, f, is_main in pack.fiche_interests],
        "fiche",
        present,
    ).as_dict()
    return changes


def _write_skills(pack):
    """Skills point to their macro-skill (same table): macro-skills first, then the others."""
    is_macro = SKILL_FIELDS.index("is_macro")
    macros = {code: row for code, row in pack.skills.items() if row[is_macro]}
    outcome, macro_ids = sync_references(
        Skill, "code_ogr", SKILL_FIELDS, macros, pack.version, mark_missing=False
    )
    rows = replace_codes(SKILL_FIELDS, pack.skills, "macro", macro_ids)
    rest, skill_ids = sync_references(Skill, "code_ogr", SKILL_FIELDS, rows, pack.version)
    for name in ("created", "updated", "obsoleted"):
        setattr(outcome, name, getattr(outcome, name) + getattr(rest, name))
    return outcome.as_dict(), skill_ids
