"""Indicators of the events: attendances, and participants by the ESF+ rule.

An attendance is a registration marked « présent » (émargement) of a person of the people app
at a session (not cancelled, of an event not cancelled) that started in the period; a person
counts once. The ESF+ rule is that of ``events.selectors.esf_participant_ids``: a participant
was present on at least two distinct days — a one-day collective action does not make a
participant (here, the days counted are those up to the end of the period).
"""

from django.db.models import Count, F
from django.db.models.functions import TruncDate

from tisserand.events.models import Registration, Status
from tisserand.reporting.indicators import Indicator, quarter_of, register
from tisserand.reporting.indicators_accompaniment import age_band_at, qpv_at

MODULE = "Événements"
DAY = "session__starts_at__date"


def _present():
    return Registration.objects.filter(
        status=Status.PRESENT,
        person__isnull=False,
        session__cancelled_at__isnull=True,
        session__event__cancelled_at__isnull=True,
    )


def attendances_rows(scope, period):
    rows = _present().filter(session__starts_at__date__range=(period.start, period.end))
    return scope.restrict(
        rows,
        structure="session__event__structure_id",
        commune="person__commune",
        qpv="person__qpv_code",
    )


def esf_participants_rows(scope, period):
    """Attendances of the period of persons present on two distinct days or more (up to the
    period's end): an uncorrelated ``IN``, computed once by the database."""
    days = (
        _present()
        .filter(session__starts_at__date__lte=period.end)
        .annotate(day=TruncDate("session__starts_at"))
        .values("person_id")
        .annotate(days=Count("day", distinct=True))
        .filter(days__gte=2)
        .values("person_id")
    )
    return attendances_rows(scope, period).filter(person_id__in=days)


def _persons():
    return Count("person_id", distinct=True)


def _dimensions():
    return {
        "quarter": lambda: quarter_of(DAY),
        "qpv": lambda: qpv_at("person", DAY),
        "sex": lambda: F("person__gender"),
        "age_band": lambda: age_band_at(DAY, "person__birth_date"),
    }


def register_all():
    register(
        Indicator(
            code="event_attendances",
            version=1,
            label="Participations aux événements",
            description_fr="Personnes présentes (émargement « présent ») à une séance d'un "
            "événement organisé par une structure retenue, séance commencée pendant la période "
            "(séances et événements annulés exclus) ; une personne compte une fois.",
            unit="personnes",
            rows=attendances_rows,
            measure=_persons,
            dimensions=_dimensions(),
            module=MODULE,
            order=70,
        )
    )
    register(
        Indicator(
            code="event_participants_esf",
            version=1,
            label="Participants (FSE+) aux actions collectives",
            description_fr="Personnes présentes à une séance de la période et présentes à des "
            "actions collectives au moins deux jours distincts jusqu'à la fin de la période "
            "(règle FSE+ : une action collective d'une journée ne fait pas un participant).",
            unit="personnes",
            rows=esf_participants_rows,
            measure=_persons,
            dimensions=_dimensions(),
            module=MODULE,
            order=71,
            part_of=("event_attendances", 1),
        )
    )
