"""Indicators of the accompaniment: persons accompanied (and of which QPV residents, women,
under 26, over 50, from the person's data at entry), entries, exits, positive exits and their
rate, persons in employment 6 months after the exit, entries in training.

The characteristics are those **at entry**: the age on the entry date (from the birth date),
the gender of the record, the QPV status of the last change of the history established on or
before the entry date (``QpvStatusChange.determined_on``), else the record's status unless an
attestation had already expired on that date (then « indéterminé »). « Indéterminé » is its own
value, never « hors QPV ».
"""

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from tisserand.accompaniment.exit_typology import EMPLOYMENT_EXIT_TYPES, POSITIVE_EXIT_TYPES
from tisserand.accompaniment.models import Accompaniment, PlanAction, SixMonthFollowUp
from tisserand.people.models import QpvStatusChange
from tisserand.reporting.indicators import (
    Indicator,
    RateIndicator,
    date_number,
    quarter_of,
    register,
)

MODULE = "Accompagnement"
# Age bands of the French programmes (under 26, over 50).
AGE_BANDS = {"under_26": "Moins de 26 ans", "26_49": "26 à 49 ans", "50_plus": "50 ans et plus"}


def age_at(entry_path, birth_path):
    """Whole years between the birth date and the entry date, in SQL."""
    return ExpressionWrapper(
        (date_number(entry_path) - date_number(birth_path)) / Value(10000),
        output_field=IntegerField(),
    )


def age_band_at(entry_path, birth_path):
    """« under_26 », « 26_49 » or « 50_plus » on the entry date, in SQL."""
    age = age_at(entry_path, birth_path)
    return Case(
        When(LessThan(age, 26), then=Value("under_26")),
        When(GreaterThanOrEqual(age, 50), then=Value("50_plus")),
        default=Value("26_49"),
    )


def qpv_at(person_path, day_path):
    """The QPV status (in_qpv, not_in_qpv, unknown) of the person on the day, in SQL."""
    history = QpvStatusChange.objects.filter(
        person_id=OuterRef(f"{person_path}_id"), determined_on__lte=OuterRef(day_path)
    ).order_by("-determined_on", "-changed_at", "-id")
    on_record = Case(
        When(
            **{f"{person_path}__qpv_valid_until__lt": F(day_path)},
            then=Value("unknown"),
        ),
        default=F(f"{person_path}__qpv_status"),
    )
    return Coalesce(Subquery(history.values("status")[:1]), on_record)


def _accompaniment_dimensions(date_path=None, prefix=""):
    """Dimensions of rows that lead to an accompaniment (``prefix`` is the path to it)."""
    entry, person = f"{prefix}entry_date", f"{prefix}person"
    dimensions = {
        "qpv": lambda: qpv_at(person, entry),
        "sex": lambda: F(f"{person}__gender"),
        "age_band": lambda: age_band_at(entry, f"{person}__birth_date"),
    }
    if date_path:
        dimensions["quarter"] = lambda: quarter_of(date_path)
    return dimensions


def accompaniments(scope):
    return scope.restrict(
        Accompaniment.objects.all(),
        structure="structure_id",
        programme="programme_id",
        commune="person__commune",
        qpv="person__qpv_code",
    )


def _in_progress(scope, period):
    """Accompaniments under way at some time of the period."""
    return (
        accompaniments(scope)
        .filter(entry_date__lte=period.end)
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=period.start))
    )


def _persons():
    return Count("person_id", distinct=True)


def accompanied_rows(scope, period):
    return _in_progress(scope, period)


def entries_rows(scope, period):
    return accompaniments(scope).filter(entry_date__range=(period.start, period.end))


def exits_rows(scope, period):
    return accompaniments(scope).filter(
        status="closed", exit_date__range=(period.start, period.end)
    )


def positive_exits_rows(scope, period):
    return exits_rows(scope, period).filter(exit_type__in=sorted(POSITIVE_EXIT_TYPES))


def employed_6_months_rows(scope, period):
    """Follow-ups recorded in their window (ESF+ rule) in the period, in a job."""
    rows = SixMonthFollowUp.objects.filter(
        recorded_at__isnull=False,
        outside_window=False,
        contacted_on__range=(period.start, period.end),
        situation__in=sorted(EMPLOYMENT_EXIT_TYPES),
    )
    return scope.restrict(
        rows,
        structure="accompaniment__structure_id",
        programme="accompaniment__programme_id",
        commune="accompaniment__person__commune",
        qpv="accompaniment__person__qpv_code",
    )


def followed_up_rows(scope, period):
    rows = SixMonthFollowUp.objects.filter(
        recorded_at__isnull=False,
        outside_window=False,
        contacted_on__range=(period.start, period.end),
    )
    return scope.restrict(
        rows,
        structure="accompaniment__structure_id",
        programme="accompaniment__programme_id",
        commune="accompaniment__person__commune",
        qpv="accompaniment__person__qpv_code",
    )


def training_entries_rows(scope, period):
    """Training actions of a plan started in the period (not abandoned)."""
    rows = PlanAction.objects.filter(
        action_type="training", start_date__range=(period.start, period.end)
    ).exclude(status="abandoned")
    return scope.restrict(
        rows,
        structure="objective__accompaniment__structure_id",
        programme="objective__accompaniment__programme_id",
        commune="objective__accompaniment__person__commune",
        qpv="objective__accompaniment__person__qpv_code",
    )


def employed_exits_rows(scope, period):
    """Exits of the period into a job (durable, transition, insertion structure)."""
    return exits_rows(scope, period).filter(exit_type__in=sorted(EMPLOYMENT_EXIT_TYPES))


def _mean_days_in_accompaniment():
    return Avg(ExpressionWrapper(F("exit_date") - F("entry_date"), output_field=DurationField()))


def _days(duration):
    """A mean duration in whole days (None when nothing is averaged)."""
    return None if duration is None else round(duration.total_seconds() / 86400)


def _follow_up_persons():
    return Count("accompaniment__person_id", distinct=True)


def _action_persons():
    return Count("objective__accompaniment__person_id", distinct=True)


def accompanied_qpv_rows(scope, period):
    return (
        _in_progress(scope, period)
        .alias(qpv_entry=qpv_at("person", "entry_date"))
        .filter(qpv_entry="in_qpv")
    )


def accompanied_women_rows(scope, period):
    return _in_progress(scope, period).filter(person__gender="female")


def accompanied_under_26_rows(scope, period):
    return (
        _in_progress(scope, period)
        .alias(age_entry=age_at("entry_date", "person__birth_date"))
        .filter(age_entry__lt=26)
    )


def accompanied_over_50_rows(scope, period):
    return (
        _in_progress(scope, period)
        .alias(age_entry=age_at("entry_date", "person__birth_date"))
        .filter(age_entry__gte=50)
    )


SUFFIX = (
    " Un accompagnement compte s'il est en cours à un moment de la période (entré au plus "
    "tard à sa fin, sorti au plus tôt à son début) ; une personne compte une fois."
)


def _count(code, label, description, rows, *, measure=_persons, dims=None, order=100, part_of=None):
    return register(
        Indicator(
            code=code,
            version=1,
            label=label,
            description_fr=description,
            unit="personnes",
            rows=rows,
            measure=measure,
            dimensions=dims if dims is not None else _accompaniment_dimensions(),
            module=MODULE,
            order=order,
            part_of=part_of,
        )
    )


def register_all():
    _count(
        "accompanied",
        "Personnes accompagnées",
        "Personnes ayant un accompagnement en cours pendant la période, dans les structures "
        "et programmes retenus." + SUFFIX,
        accompanied_rows,
        order=10,
    )
    _count(
        "accompanied_qpv",
        "dont résidents QPV",
        "Personnes accompagnées résidant en QPV à leur entrée (dernier statut QPV établi au "
        "plus tard à la date d'entrée ; un statut « indéterminé » ne compte pas)." + SUFFIX,
        accompanied_qpv_rows,
        part_of=("accompanied", 1),
        order=11,
    )
    _count(
        "accompanied_women",
        "dont femmes",
        "Personnes accompagnées dont la fiche indique le genre « femme »." + SUFFIX,
        accompanied_women_rows,
        part_of=("accompanied", 1),
        order=12,
    )
    _count(
        "accompanied_under_26",
        "dont moins de 26 ans",
        "Personnes accompagnées âgées de moins de 26 ans à leur date d'entrée." + SUFFIX,
        accompanied_under_26_rows,
        part_of=("accompanied", 1),
        order=13,
    )
    _count(
        "accompanied_over_50",
        "dont 50 ans et plus",
        "Personnes accompagnées âgées de 50 ans ou plus à leur date d'entrée." + SUFFIX,
        accompanied_over_50_rows,
        part_of=("accompanied", 1),
        order=14,
    )
    _count(
        "entries",
        "Entrées en accompagnement",
        "Personnes entrées dans un accompagnement pendant la période (date d'entrée).",
        entries_rows,
        dims=_accompaniment_dimensions("entry_date"),
        order=20,
    )
    _count(
        "exits",
        "Sorties",
        "Personnes sorties d'un accompagnement pendant la période (date de sortie), quel que "
        "soit le type de sortie.",
        exits_rows,
        dims=_accompaniment_dimensions("exit_date"),
        order=30,
    )
    _count(
        "positive_exits",
        "Sorties positives",
        "Sorties de la période dont le type est marqué « positif » par la typologie des "
        "sorties : emploi durable (CDI, CDD ou intérim de 6 mois ou plus, fonction publique, "
        "création d'entreprise), formation qualifiante, embauche en structure d'insertion.",
        positive_exits_rows,
        dims=_accompaniment_dimensions("exit_date"),
        part_of=("exits", 1),
        order=31,
    )
    register(
        RateIndicator(
            code="positive_exit_rate",
            version=1,
            label="Taux de sorties positives",
            description_fr="Sorties positives (v1) rapportées à l'ensemble des sorties (v1) de "
            "la période, en pourcentage.",
            numerator=("positive_exits", 1),
            denominator=("exits", 1),
            module=MODULE,
            order=32,
        )
    )
    _count(
        "employed_exits",
        "Sorties en emploi",
        "Sorties de la période vers un emploi : durable, de transition (CDD ou intérim de moins "
        "de 6 mois, contrat aidé) ou en structure d'insertion.",
        employed_exits_rows,
        dims=_accompaniment_dimensions("exit_date"),
        part_of=("exits", 1),
        order=33,
    )
    register(
        Indicator(
            code="days_to_job",
            version=1,
            label="Délai d'accès à l'emploi",
            description_fr="Durée moyenne, en jours, de l'entrée à la sortie en emploi (v1) "
            "pour les sorties en emploi de la période.",
            unit="jours",
            rows=employed_exits_rows,
            measure=_mean_days_in_accompaniment,
            dimensions=_accompaniment_dimensions("exit_date"),
            module=MODULE,
            counts_persons=False,
            order=34,
            convert=_days,
            basis=("employed_exits", 1),
        )
    )
    _count(
        "employed_6_months",
        "En emploi 6 mois après la sortie",
        "Personnes dont le suivi à 6 mois, saisi dans sa fenêtre (5 à 9 mois après la sortie) "
        "pendant la période, indique un emploi (durable, de transition ou en structure "
        "d'insertion). Un suivi saisi hors fenêtre ne compte pas (règle FSE+).",
        employed_6_months_rows,
        part_of=("followed_up_6_months", 1),
        measure=_follow_up_persons,
        dims=_accompaniment_dimensions("contacted_on", prefix="accompaniment__"),
        order=40,
    )
    _count(
        "followed_up_6_months",
        "Suivis à 6 mois réalisés",
        "Personnes dont le suivi à 6 mois a été saisi dans sa fenêtre pendant la période.",
        followed_up_rows,
        measure=_follow_up_persons,
        dims=_accompaniment_dimensions("contacted_on", prefix="accompaniment__"),
        order=41,
    )
    register(
        RateIndicator(
            code="employed_6_months_rate",
            version=1,
            label="Taux d'emploi à 6 mois",
            description_fr="Personnes en emploi à 6 mois (v1) rapportées aux suivis à 6 mois "
            "réalisés (v1) de la période.",
            numerator=("employed_6_months", 1),
            denominator=("followed_up_6_months", 1),
            module=MODULE,
            order=42,
        )
    )
    _count(
        "training_entries",
        "Entrées en formation",
        "Personnes dont une action « Formation » du plan a commencé pendant la période (date "
        "de début), sauf action abandonnée.",
        training_entries_rows,
        measure=_action_persons,
        dims=_accompaniment_dimensions("start_date", prefix="objective__accompaniment__"),
        order=50,
    )
    register(
        RateIndicator(
            code="training_access_rate",
            version=1,
            label="Accès à la formation",
            description_fr="Personnes entrées en formation (v1) rapportées aux personnes "
            "accompagnées (v1) de la période.",
            numerator=("training_entries", 1),
            denominator=("accompanied", 1),
            module=MODULE,
            order=51,
        )
    )
