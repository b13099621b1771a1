"""Indicators of the introductions, version 2: the same definitions as version 1
(``indicators_opportunities``, still registered and callable), computed over the facts of each
introduction (``reporting.facts``: the person's QPV status and age band on the day it was made,
derived by version 1's own expressions) as one ``Family``, in one query. Tests check that
every v2 figure and breakdown equals its v1 one.
"""

from django.db.models import Count, F, Q

from tisserand.reporting import facts
from tisserand.reporting.indicators import Family, get, restate, restate_in_family

VERSION = 2
INTRODUCTIONS = Family("introduction_facts", facts.introductions_in_scope)
DIMENSIONS = {
    "quarter": lambda: F("made_quarter"),
    "qpv": lambda: F("qpv_on_the_day"),
    "sex": lambda: F("gender"),
    "age_band": lambda: F("age_band_on_the_day"),
    "contract": lambda: F("contract_type"),
}


def _introductions(filter=None):
    return Count("pk", filter=filter)


def made(period):
    return Q(made_on__range=(period.start, period.end))


def made_and_hired(period):
    return made(period) & Q(is_hired=True)


def register_all():
    """After version 1 (``indicators_opportunities.register_all``), whose texts it reuses."""
    for code, condition in (("introductions", made), ("introductions_hired", made_and_hired)):
        restate_in_family(
            get(code, 1),
            VERSION,
            INTRODUCTIONS,
            condition,
            measure=_introductions,
            dimensions=DIMENSIONS,
        )
    restate(get("introductions_hire_rate", 1), VERSION)
