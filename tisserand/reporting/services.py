"""Operations of the reporting: conventions, objectives and their targets, reporting a
figure (a reproducible snapshot), the review of the NAF classification, and its loading."""

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.reporting import indicators
from tisserand.reporting.indicators import Period
from tisserand.reporting.models import (
    Convention,
    NafSphere,
    Objective,
    ReportedFigure,
    Sphere,
    Target,
)
from tisserand.reporting.scopes import convention_scope

NAF_SPHERES_FILE = Path(settings.BASE_DIR) / "data" / "reporting" / "naf_spheres.csv"


class ReportingError(DomainError, ValueError):
    pass


def _check_period(starts_on, ends_on, what):
    if starts_on is None or ends_on is None:
        raise ReportingError(f"Indiquez le début et la fin {what}.")
    if ends_on <= starts_on:
        raise ReportingError(f"La fin {what} doit suivre son début.")


@transaction.atomic
def create_convention(*, data, actor):
    """``data``: name, funder_kind, funder_structure, reference, starts_on, ends_on,
    structures, programmes."""
    values = dict(data)
    structures = list(values.pop("structures", []))
    programmes = list(values.pop("programmes", []))
    _check_period(values.get("starts_on"), values.get("ends_on"), "de la convention")
    if not structures:
        raise ReportingError("Une convention est portée par au moins une structure.")
    if actor.role == "funder":
        raise ReportingError(
            "Les conventions sont enregistrées par la Maison de l'Emploi : un financeur y fixe "
            "ensuite ses objectifs."
        )
    convention = Convention.objects.create(**values, created_by=actor.user)
    convention.structures.set(structures)
    convention.programmes.set(programmes)
    timeline.record_creation(
        convention,
        actor=actor.user,
        structure=actor.structure,
        summary=f"Convention créée : {convention.name} ({convention.get_funder_kind_display()})",
    )
    return convention


def _targets_of(data, convention):
    """[(starts_on, ends_on, Decimal value)] from the cleaned data."""
    targets = data.get("targets") or [
        (
            data.get("starts_on") or convention.starts_on,
            data.get("ends_on") or convention.ends_on,
            data.get("target"),
        )
    ]
    cleaned = []
    for starts_on, ends_on, value in targets:
        _check_period(starts_on, ends_on, "de la cible")
        if starts_on < convention.starts_on or ends_on > convention.ends_on:
            raise ReportingError(
                "La période d'une cible est comprise dans celle de la convention "
                f"({Period(convention.starts_on, convention.ends_on).label})."
            )
        try:
            amount = Decimal(str(value))
        except (InvalidOperation, TypeError) as error:
            raise ReportingError("La cible est un nombre.") from error
        if amount <= 0:
            raise ReportingError("La cible est un nombre supérieur à zéro.")
        cleaned.append((starts_on, ends_on, amount))
    return cleaned


@transaction.atomic
def add_objective(convention, *, data, actor):
    """``data``: indicator (code), version (None: the latest), target, starts_on, ends_on
    (defaults: the convention's period), comment. The objective keeps the version and the
    fingerprint of the definition: its realised figure is always computed by it."""
    code = data.get("indicator")
    try:
        indicator = indicators.get(code, data.get("version"))
    except LookupError as error:
        raise ReportingError("Choisissez un indicateur de la liste.") from error
    if indicator.kind == "rate" and Decimal(str(data.get("target") or 0)) > 100:
        raise ReportingError("Un taux se vise en pourcentage : 100 au plus.")
    targets = _targets_of(data, convention)
    if convention.objectives.filter(indicator_code=indicator.code).exists():
        raise ReportingError("Cette convention a déjà un objectif sur cet indicateur.")
    objective = Objective.objects.create(
        convention=convention,
        indicator_code=indicator.code,
        indicator_version=indicator.version,
        definition_fingerprint=indicators.fingerprint(indicator),
        comment=data.get("comment", ""),
        created_by=actor.user,
    )
    Target.objects.bulk_create(
        Target(objective=objective, starts_on=start, ends_on=end, value=value)
        for start, end, value in targets
    )
    timeline.record(
        convention,
        TimelineEvent.Verb.ACTION,
        f"Objectif ajouté : {indicator.label} (v{indicator.version}), cible "
        + ", ".join(f"{value} {Period(s, e).label}" for s, e, value in targets),
        actor=actor.user,
        structure=actor.structure,
    )
    return objective


class DefinitionMismatch(ReportingError):
    pass


@transaction.atomic
def report_figure(objective, target, *, actor, today=None):
    """Stores the realised figure of a target as reported today (value, version,
    fingerprint, scope, period): ``reproduce`` recomputes it later."""
    indicator = indicators.get(objective.indicator_code, objective.indicator_version)
    fingerprint = indicators.fingerprint(indicator)
    if fingerprint != objective.definition_fingerprint:
        raise DefinitionMismatch(
            f"La définition de « {indicator.label} » v{indicator.version} a changé depuis que "
            "l'objectif a été fixé : elle doit porter un nouveau numéro de version."
        )
    today = today or timezone.localdate()
    period = Period(target.starts_on, target.ends_on).until(today)
    scope = convention_scope(objective.convention)
    value = indicator.compute(scope, period)
    figure = ReportedFigure.objects.create(
        objective=objective,
        indicator_code=indicator.code,
        indicator_version=indicator.version,
        definition_fingerprint=fingerprint,
        scope=scope.key(),
        period_start=period.start,
        period_end=period.end,
        value=None if value is None else Decimal(str(value)),
        reported_by=actor.user,
    )
    timeline.record(
        objective.convention,
        TimelineEvent.Verb.ACTION,
        f"Chiffre déclaré : {indicator.label} (v{indicator.version}) {period.label} = {value}",
        actor=actor.user,
        structure=actor.structure,
    )
    return figure


def reproduce(figure):
    """The figure recomputed by its own version of the definition, scope and period."""
    indicator = indicators.get(figure.indicator_code, figure.indicator_version)
    if indicators.fingerprint(indicator) != figure.definition_fingerprint:
        raise DefinitionMismatch(
            f"La définition v{figure.indicator_version} de « {indicator.label} » a changé : "
            "le chiffre déclaré ne peut plus être reproduit."
        )
    scope = indicators.Scope.from_key(figure.scope)
    value = indicator.compute(scope, Period(figure.period_start, figure.period_end))
    return None if value is None else Decimal(str(value))


@transaction.atomic
def review_naf(naf_sphere, *, data, actor):
    """Changes the sphere of a NAF division (with its reason)."""
    sphere = data.get("sphere")
    explanation = (data.get("explanation") or "").strip()
    if sphere not in Sphere.values:
        raise ReportingError("Choisissez la sphère « présentielle » ou « productive ».")
    if not explanation:
        raise ReportingError("Donnez la raison du classement de la division.")
    before = timeline.stored_snapshot(naf_sphere, NafSphere.TRACKED_FIELDS)
    naf_sphere.sphere, naf_sphere.explanation = sphere, explanation
    naf_sphere.reviewed_by, naf_sphere.reviewed_at = actor.user, timezone.now()
    naf_sphere.save()
    timeline.record_changes(
        naf_sphere,
        before,
        actor=actor.user,
        structure=actor.structure,
        summary=lambda labels: f"Division NAF {naf_sphere.division} revue : {labels}",
    )
    return naf_sphere


def read_naf_spheres(path=NAF_SPHERES_FILE):
    """The rows of the shipped file, checked whole: a bad line names its number and field."""
    rows, problems = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, line in enumerate(csv.DictReader(handle, delimiter=";"), start=2):
            division = (line.get("division") or "").strip()
            sphere = (line.get("sphere") or "").strip()
            if len(division) != 2 or not division.isdigit():
                problems.append(f"ligne {number}, division : « {division} » n'a pas 2 chiffres")
            if sphere not in Sphere.values:
                problems.append(f"ligne {number}, sphere : « {sphere} » inconnue")
            if not (line.get("raison") or "").strip():
                problems.append(f"ligne {number}, raison : vide")
            rows.append(
                (
                    division,
                    (line.get("libelle") or "").strip(),
                    sphere,
                    (line.get("raison") or "").strip(),
                )
            )
    if problems:
        raise ReportingError(f"{Path(path).name} : " + " ; ".join(problems))
    return rows


@transaction.atomic
def load_naf_spheres(path=NAF_SPHERES_FILE):
    """Creates the missing divisions and updates the defaults; a division the administrator
    reviewed keeps its sphere and reason. Returns (created, updated)."""
    rows = read_naf_spheres(path)
    existing = {row.division: row for row in NafSphere.objects.all()}
    created = updated = 0
    for division, label, sphere, reason in rows:
        row = existing.get(division)
        if row is None:
            NafSphere.objects.create(
                division=division,
                label=label,
                sphere=sphere,
                default_sphere=sphere,
                explanation=reason,
            )
            created += 1
        elif row.reviewed_at is None and (row.sphere, row.explanation, row.label) != (
            sphere,
            reason,
            label,
        ):
            row.sphere = row.default_sphere = sphere
            row.explanation, row.label = reason, label
            row.save()
            updated += 1
    return created, updated


def claim_dispatch(month, membership):
    """Reserves the sending of ``month``'s report to ``membership``: False when already sent
    (the unique constraint decides, even between two workers)."""
    from tisserand.reporting.models import MonthlyReportDispatch

    try:
        with transaction.atomic():
            MonthlyReportDispatch.objects.create(month=month, membership=membership)
    except IntegrityError:
        return False
    return True
