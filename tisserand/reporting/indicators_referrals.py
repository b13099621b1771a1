"""Indicators of the referrals (orientations towards a service): sent, answered, the answer
rate, and the unmet demand.

A referral counts in the period it was **sent** (``sent_at``), for the structure that sent it;
« answered » is its current state (accepted or refused, whatever the date of the answer), so a
period's answer rate may still rise while answers come. Unmet demand: refused or expired. The
territory is the person's commune (or QPV).
"""

from django.db.models import Count, F

from tisserand.referrals.models import ANSWERED_STATES, UNMET_STATES, Referral
from tisserand.reporting.indicators import Indicator, RateIndicator, quarter_of, register

MODULE = "Orientations"


def sent_rows(scope, period):
    rows = Referral.objects.filter(sent_at__date__range=(period.start, period.end))
    return scope.restrict(
        rows,
        structure="sender_structure_id",
        commune="person__commune",
        qpv="person__qpv_code",
    )


def answered_rows(scope, period):
    return sent_rows(scope, period).filter(state__in=[str(s) for s in ANSWERED_STATES])


def unmet_rows(scope, period):
    return sent_rows(scope, period).filter(state__in=[str(s) for s in UNMET_STATES])


def _referrals():
    return Count("id")


def _dimensions():
    return {
        "quarter": lambda: quarter_of("sent_at__date"),
        "sex": lambda: F("person__gender"),
    }


def _count(code, label, description, rows, order, part_of=None):
    register(
        Indicator(
            code=code,
            version=1,
            label=label,
            description_fr=description,
            unit="orientations",
            rows=rows,
            measure=_referrals,
            dimensions=_dimensions(),
            module=MODULE,
            order=order,
            part_of=part_of,
        )
    )


def register_all():
    _count(
        "referrals_sent",
        "Orientations envoyées",
        "Orientations vers un service envoyées pendant la période (date d'envoi) par une "
        "structure retenue, quelle que soit leur réponse.",
        sent_rows,
        80,
    )
    _count(
        "referrals_answered",
        "Orientations répondues",
        "Orientations envoyées pendant la période qui ont reçu une réponse (acceptée ou "
        "refusée), quelle que soit la date de la réponse ; une orientation expirée sans "
        "réponse ne compte pas.",
        answered_rows,
        81,
        part_of=("referrals_sent", 1),
    )
    register(
        RateIndicator(
            code="referrals_answer_rate",
            version=1,
            label="Taux de réponse aux orientations",
            description_fr="Orientations répondues (v1) rapportées aux orientations envoyées "
            "(v1) de la période, en pourcentage.",
            numerator=("referrals_answered", 1),
            denominator=("referrals_sent", 1),
            module=MODULE,
            order=82,
        )
    )
    _count(
        "referrals_unmet",
        "Demande non satisfaite",
        "Orientations envoyées pendant la période refusées par le service ou expirées sans "
        "réponse (état actuel).",
        unmet_rows,
        83,
        part_of=("referrals_sent", 1),
    )
