"""Indicators of the opportunities: offers published, introductions made, those that led to a
hire, and the hire rate.

An offer counts in every period it was open during: published on or before the period's end,
neither closed nor past its end of publication before the period's start (France Travail's
offers count for a scope of structures only when a structure of the scope carries them). An
introduction (« mise en relation ») counts in the period it was made (``created_at``), for the
structure that made it; « led to a hire » is its current status. The territory is the offer's
commune for offers, the person's for introductions.
"""

from django.db.models import Count, F, Q

from tisserand.opportunities.models import Introduction, IntroductionStatus, JobOffer
from tisserand.reporting.indicators import Indicator, RateIndicator, quarter_of, register
from tisserand.reporting.indicators_accompaniment import age_band_at, qpv_at

MODULE = "Offres et mises en relation"
DAY = "created_at__date"


def offers_rows(scope, period):
    rows = (
        JobOffer.objects.filter(published_at__date__lte=period.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=period.start))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=period.start))
    )
    return scope.restrict(
        rows,
        structure="structure_id",
        commune="commune",
        qpv="establishment__qpv_code",
    )


def introductions_rows(scope, period):
    rows = Introduction.objects.filter(created_at__date__range=(period.start, period.end))
    return scope.restrict(
        rows,
        structure="structure_id",
        commune="person__commune",
        qpv="person__qpv_code",
    )


def hired_rows(scope, period):
    return introductions_rows(scope, period).filter(status=IntroductionStatus.HIRED)


def _offers():
    return Count("id")


def _introductions():
    return Count("id")


def _introduction_dimensions():
    return {
        "quarter": lambda: quarter_of(DAY),
        "qpv": lambda: qpv_at("person", DAY),
        "sex": lambda: F("person__gender"),
        "age_band": lambda: age_band_at(DAY, "person__birth_date"),
        "contract": lambda: F("offer__contract_type"),
    }


def register_all():
    register(
        Indicator(
            code="offers_published",
            version=1,
            label="Offres d'emploi publiées",
            description_fr="Offres ouvertes à un moment de la période : publiées au plus tard "
            "à sa fin, ni clôturées ni arrivées en fin de publication avant son début.",
            unit="offres",
            rows=offers_rows,
            measure=_offers,
            dimensions={
                "contract": lambda: F("contract_type"),
                "rome": lambda: F("fiche__code"),
            },
            module=MODULE,
            counts_persons=False,
            order=100,
        )
    )
    register(
        Indicator(
            code="introductions",
            version=1,
            label="Mises en relation",
            description_fr="Mises en relation d'une personne avec une entreprise (sur une "
            "offre ou un besoin) faites pendant la période par une structure retenue, quelle "
            "que soit leur suite.",
            unit="mises en relation",
            rows=introductions_rows,
            measure=_introductions,
            dimensions=_introduction_dimensions(),
            module=MODULE,
            order=101,
        )
    )
    register(
        Indicator(
            code="introductions_hired",
            version=1,
            label="Mises en relation suivies d'une embauche",
            description_fr="Mises en relation faites pendant la période dont le statut est "
            "« Embauche » (quelle que soit la date de l'embauche).",
            unit="mises en relation",
            rows=hired_rows,
            measure=_introductions,
            dimensions=_introduction_dimensions(),
            module=MODULE,
            order=102,
            part_of=("introductions", 1),
        )
    )
    register(
        RateIndicator(
            code="introductions_hire_rate",
            version=1,
            label="Taux d'embauche des mises en relation",
            description_fr="Mises en relation suivies d'une embauche (v1) rapportées aux mises "
            "en relation (v1) de la période, en pourcentage.",
            numerator=("introductions_hired", 1),
            denominator=("introductions", 1),
            module=MODULE,
            order=103,
        )
    )
