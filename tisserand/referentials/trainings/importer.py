"""Storing a LHÉO catalogue: one transaction, rows updated in place by their LHÉO ids.

Trainings, actions and sessions are matched by their LHÉO identifiers, bodies by SIRET. A row
whose values did not change is not written, so importing the same file twice changes nothing.
Actions and sessions that vanished from a training present in the file are deleted; trainings
absent from the file are kept (a file may hold only part of a catalogue).
"""

import gzip
import lzma
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tisserand.core.planner import refresh_statistics
from tisserand.referentials.lengths import field_of, length_problem
from tisserand.referentials.trainings import referentials
from tisserand.referentials.trainings.lheo import LheoError, Problem, read_catalogue
from tisserand.referentials.trainings.models import (
    Action,
    Session,
    Training,
    TrainingBody,
    TrainingCode,
)

BATCH = 500
CHUNK = 500


@dataclass
class ImportReport:
    filename: str
    version: str = ""
    encoding: str = ""
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, what, outcome, number=1):
        self.counts.setdefault(what, Counter())[outcome] += number

    def summary(self):
        labels = {
            "bodies": "organismes",
            "trainings": "formations",
            "actions": "actions",
            "sessions": "sessions",
        }
        parts = []
        for key, label in labels.items():
            counter = self.counts.get(key, Counter())
            parts.append(
                f"{label} : {counter['created']} créé(e)s, {counter['updated']} modifié(e)s, "
                f"{counter['unchanged']} inchangé(e)s"
                + (f", {counter['deleted']} supprimé(e)s" if counter["deleted"] else "")
            )
        return (
            f"« {self.filename} » (LHÉO {self.version}, {self.encoding}) importé en "
            f"{self.seconds:.2f} s — " + " ; ".join(parts) + "."
        )


def read_file(path):
    """The bytes of a LHÉO file, decompressed when it ends in .gz or .xz."""
    path = Path(path)
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            return gzip.decompress(data)
        if path.suffix == ".xz":
            return lzma.decompress(data)
    except FileNotFoundError as error:
        raise LheoError(path.name, [Problem("fichier introuvable.")]) from error
    except IsADirectoryError as error:
        raise LheoError(path.name, [Problem("c'est un dossier, pas un fichier.")]) from error
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as error:
        raise LheoError(path.name, [Problem("fichier compressé illisible ou tronqué.")]) from error
    return data


def import_lheo_file(path, *, is_demo=False):
    path = Path(path)
    return import_lheo(read_file(path), path.name, is_demo=is_demo)


def import_lheo(data, filename, *, is_demo=False):
    """Validates then stores; raises ``LheoError`` (nothing written) on any problem."""
    started = time.perf_counter()
    catalogue = read_catalogue(data, filename)
    _check_lengths(catalogue)
    _check_known_codes(catalogue)
    report = ImportReport(filename, catalogue.version, catalogue.encoding)
    with transaction.atomic():
        _store(catalogue, report, is_demo)
    report.seconds = time.perf_counter() - started
    return report


# --- Texts must fit their columns ---------------------------------------------------------


def _check_lengths(catalogue):
    """Every text of every row against the ``max_length`` of its model field."""
    rows = [
        *(
            ("organisme-formation-responsable", TrainingBody, t.body, {})
            for t in catalogue.trainings
        ),
        *(("formation", Training, t, {"lheo_id": t.key}) for t in catalogue.trainings),
        *(("action", Action, a, {"lheo_id": a.key}) for a in catalogue.actions),
        *(("session", Session, s, {"lheo_id": s.key}) for s in catalogue.sessions),
    ]
    problems = [
        Problem(reason, line=row.line, element=element)
        for element, model, row, keys in rows
        for name, value in {**row.fields, **keys}.items()
        if isinstance(value, str) and (reason := length_problem(value, field_of(model, name)))
    ]
    if problems:
        raise LheoError(catalogue.filename, problems)


# --- Codes the referentials must know --------------------------------------------------------


def _check_known_codes(catalogue):
    problems = []
    rome = [(c, t) for t in catalogue.trainings for c in t.codes if c.kind == "rome"]
    known = referentials.known_rome_codes(code.code for code, _ in rome)
    if known is not None:
        problems += [
            Problem(
                f"code ROME « {code.code} » inconnu du référentiel ROME chargé.",
                line=code.line,
                element="code-ROME",
            )
            for code, _ in rome
            if code.code not in known
        ]
    places = [p for p in catalogue.places() if p.fields.get("commune_insee")]
    known = referentials.known_communes(p.fields["commune_insee"] for p in places)
    if known is not None:
        reported = set()
        for place in places:
            code = place.fields["commune_insee"]
            if code not in known and (code, place.insee_line) not in reported:
                reported.add((code, place.insee_line))
                problems.append(
                    Problem(
                        f"code commune INSEE « {code} » inconnu du référentiel des communes.",
                        line=place.insee_line,
                        element="code-INSEE-commune",
                    )
                )
    if problems:
        raise LheoError(catalogue.filename, sorted(problems, key=lambda p: p.line or 0))


# --- Storing ---------------------------------------------------------------------------------


def _store(catalogue, report, is_demo):
    bodies = _sync(
        TrainingBody,
        _existing(TrainingBody, "siret", [t.body.key for t in catalogue.trainings]),
        {t.body.key: t.body.fields for t in catalogue.trainings},
        report,
        "bodies",
    )
    common = {
        "lheo_version": catalogue.version,
        "source_file": catalogue.filename[:255],
        "is_demo": is_demo,
    }
    trainings = _sync(
        Training,
        _existing(Training, "lheo_id", [t.key for t in catalogue.trainings]),
        {
            t.key: {**t.fields, **common, "lheo_id": t.key, "body_id": bodies[t.body.key].pk}
            for t in catalogue.trainings
        },
        report,
        "trainings",
    )
    _sync_codes(catalogue, trainings)
    actions = _sync_children(
        Action,
        "training",
        {trainings[t.key].pk: t.children for t in catalogue.trainings},
        report,
        "actions",
    )
    _sync_children(
        Session,
        "action",
        {
            actions[(trainings[t.key].pk, a.key)].pk: a.children
            for t in catalogue.trainings
            for a in t.children
        },
        report,
        "sessions",
    )


def _existing(model, key_field, keys):
    found = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        found.update(
            (getattr(obj, key_field), obj)
            for obj in model.objects.filter(**{f"{key_field}__in": chunk})
        )
    return found


def _sync(model, existing, wanted, report, what):
    """Creates the missing rows, updates the changed ones; returns {key: row}."""
    to_create, to_update, changed_fields = [], [], set()
    rows = {}
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            row = model(**values)
            to_create.append(row)
            report.count(what, "created")
        else:
            changes = {name for name, value in values.items() if getattr(row, name) != value}
            if changes:
                for name in changes:
                    setattr(row, name, values[name])
                to_update.append(row)
                changed_fields |= changes
                report.count(what, "updated")
            else:
                report.count(what, "unchanged")
        rows[key] = row
    model.objects.bulk_create(to_create, batch_size=BATCH)
    if to_create:
        refresh_statistics(model)
    if to_update:
        if any(f.name == "updated_at" for f in model._meta.fields):
            now = timezone.now()
            for row in to_update:
                row.updated_at = now
            changed_fields.add("updated_at")
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH)
    return rows


def _sync_children(model, parent, parsed_by_parent, report, what):
    """Syncs actions (or sessions) of each parent; deletes those the file no longer lists.
    Returns {(parent id, key): row}."""
    parent_ids = list(parsed_by_parent)
    existing = {}
    for start in range(0, len(parent_ids), CHUNK):
        chunk = parent_ids[start : start + CHUNK]
        for row in model.objects.filter(**{f"{parent}_id__in": chunk}):
            existing[(getattr(row, f"{parent}_id"), row.lheo_id)] = row
    wanted = {
        (parent_id, item.key): {**item.fields, "lheo_id": item.key, f"{parent}_id": parent_id}
        for parent_id, items in parsed_by_parent.items()
        for item in items
    }
    rows = _sync(model, existing, wanted, report, what)
    vanished = [row.pk for key, row in existing.items() if key not in wanted]
    for start in range(0, len(vanished), CHUNK):
        model.objects.filter(pk__in=vanished[start : start + CHUNK]).delete()
    if vanished:
        report.count(what, "deleted", len(vanished))
    return rows


def _sync_codes(catalogue, trainings):
    wanted = {
        (trainings[t.key].pk, c.kind, c.code, c.is_principal)
        for t in catalogue.trainings
        for c in t.codes
    }
    training_ids = [row.pk for row in trainings.values()]
    existing = {}
    for start in range(0, len(training_ids), CHUNK):
        rows = TrainingCode.objects.filter(training_id__in=training_ids[start : start + CHUNK])
        existing.update(((r.training_id, r.kind, r.code, r.is_principal), r.pk) for r in rows)
    stale = [pk for key, pk in existing.items() if key not in wanted]
    for start in range(0, len(stale), CHUNK):
        TrainingCode.objects.filter(pk__in=stale[start : start + CHUNK]).delete()
    TrainingCode.objects.bulk_create(
        [
            TrainingCode(training_id=t, kind=k, code=c, is_principal=p)
            for (t, k, c, p) in sorted(wanted - set(existing))
        ],
        batch_size=BATCH,
    )
