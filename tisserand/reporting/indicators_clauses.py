"""Indicators of the social clauses: hours realised (and their QPV part), clause jobs, and the
participants by QPV.

The hours are those of ``clauses.progress`` exactly — declared hours × the coefficient kept on
each declaration, for eligible participants only — of **validated** declarations whose month is
in the period, for operations of the structures retenues; the QPV part, those of participants
residing in a QPV at the start of their contract (« indéterminé » does not count). A clause job
is an eligible participant whose contract started in the period. The territory is the
participant's person (commune or QPV), when the participant is one.
"""

from django.db.models import Count, F, Sum

from tisserand.clauses.models import Declaration, DeclarationStatus, Participant
from tisserand.clauses.progress import COUNTED, ELIGIBLE
from tisserand.people.models import QpvResidence
from tisserand.reporting.indicators import Indicator, quarter_of, register
from tisserand.reporting.indicators_accompaniment import age_band_at

MODULE = "Clauses sociales"


def hours_rows(scope, period):
    rows = Declaration.objects.filter(
        ELIGIBLE,
        status=DeclarationStatus.VALIDATED,
        month__range=(period.start, period.end),
    )
    return scope.restrict(
        rows,
        structure="lot__contract__operation__structure_id",
        commune="participant__person__commune",
        qpv="participant__person__qpv_code",
    )


def qpv_hours_rows(scope, period):
    return hours_rows(scope, period).filter(participant__qpv_at_start=QpvResidence.IN_QPV)


def jobs_rows(scope, period):
    rows = Participant.objects.filter(is_eligible=True, starts_on__range=(period.start, period.end))
    return scope.restrict(
        rows,
        structure="structure_id",
        commune="person__commune",
        qpv="person__qpv_code",
    )


def qpv_jobs_rows(scope, period):
    return jobs_rows(scope, period).filter(qpv_at_start=QpvResidence.IN_QPV)


def participants_rows(scope, period):
    """Validated, counted declarations of the period: their participants."""
    return hours_rows(scope, period)


def _hours():
    return Sum(COUNTED)


def _participants():
    return Count("id")


def _declared_participants():
    return Count("participant_id", distinct=True)


def _hours_dimensions():
    return {
        "quarter": lambda: quarter_of("month"),
        "qpv": lambda: F("participant__qpv_at_start"),
        "sex": lambda: F("participant__gender"),
        "age_band": lambda: age_band_at("participant__starts_on", "participant__birth_date"),
    }


def _jobs_dimensions():
    return {
        "quarter": lambda: quarter_of("starts_on"),
        "qpv": lambda: F("qpv_at_start"),
        "sex": lambda: F("gender"),
        "age_band": lambda: age_band_at("starts_on", "birth_date"),
    }


def register_all():
    register(
        Indicator(
            code="clause_hours",
            version=1,
            label="Heures d'insertion réalisées",
            description_fr="Heures des déclarations validées dont le mois est dans la période, "
            "multipliées par le coefficient de modalité conservé sur chaque déclaration, pour "
            "les participants éligibles seulement (comme les tableaux de bord des clauses).",
            unit="heures",
            rows=hours_rows,
            measure=_hours,
            dimensions=_hours_dimensions(),
            module=MODULE,
            counts_persons=False,
            order=90,
        )
    )
    register(
        Indicator(
            code="clause_hours_qpv",
            version=1,
            label="dont heures des résidents QPV",
            description_fr="Heures réalisées (v1) par des participants résidant en QPV au "
            "début de leur contrat ; un statut « indéterminé » ne compte pas.",
            unit="heures",
            rows=qpv_hours_rows,
            measure=_hours,
            dimensions=_hours_dimensions(),
            module=MODULE,
            counts_persons=False,
            order=91,
            part_of=("clause_hours", 1),
        )
    )
    register(
        Indicator(
            code="clause_jobs",
            version=1,
            label="Emplois en clause sociale",
            description_fr="Participants éligibles dont le contrat a commencé pendant la "
            "période (date de début du contrat), suivis par une structure retenue.",
            unit="personnes",
            rows=jobs_rows,
            measure=_participants,
            dimensions=_jobs_dimensions(),
            module=MODULE,
            order=92,
        )
    )
    register(
        Indicator(
            code="clause_jobs_qpv",
            version=1,
            label="dont emplois de résidents QPV",
            description_fr="Emplois en clause sociale (v1) de participants résidant en QPV au "
            "début de leur contrat ; un statut « indéterminé » ne compte pas.",
            unit="personnes",
            rows=qpv_jobs_rows,
            measure=_participants,
            dimensions=_jobs_dimensions(),
            module=MODULE,
            order=93,
            part_of=("clause_jobs", 1),
        )
    )
    register(
        Indicator(
            code="clause_participants",
            version=1,
            label="Participants aux clauses",
            description_fr="Participants éligibles dont des heures ont été validées pour un "
            "mois de la période ; un participant compte une fois. Se ventile par résidence en "
            "QPV au début du contrat (« indéterminé » à part).",
            unit="personnes",
            rows=participants_rows,
            measure=_declared_participants,
            dimensions=_hours_dimensions(),
            module=MODULE,
            order=94,
        )
    )
