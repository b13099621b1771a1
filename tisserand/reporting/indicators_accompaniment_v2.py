"""Indicators of the accompaniment, version 2: the same definitions as version 1
(``indicators_accompaniment``, still registered and callable, so that a figure reported with
it stays reproducible), computed over the facts of each accompaniment (``reporting.facts``:
the characteristics at entry derived by version 1's own expressions), as one ``Family``: a
dashboard computes all of them in two queries instead of one query each, and scans no QPV
history and no birth date per row. Tests check, on the same data, that every v2 figure and
breakdown equals its v1 one.
"""

from django.db.models import Avg, Count, F, Q

from tisserand.accompaniment.exit_typology import EMPLOYMENT_EXIT_TYPES, POSITIVE_EXIT_TYPES
from tisserand.accompaniment.models import PlanAction
from tisserand.reporting import facts
from tisserand.reporting.indicators import Family, get, restate, restate_in_family

VERSION = 2
# A person with one accompaniment has one fact row: counted without a DISTINCT.
ACCOMPANIMENTS = Family("accompaniment_facts", facts.in_scope, alone=Q(accompaniments_of_person=1))

# The dimensions, shared by the members (the same expressions: one query per breakdown).
FACT_DIMENSIONS = {
    "qpv": lambda: F("qpv_at_entry"),
    "sex": lambda: F("gender"),
    "age_band": lambda: F("age_band_at_entry"),
}
BY_ENTRY = {**FACT_DIMENSIONS, "quarter": lambda: F("entry_quarter")}
BY_EXIT = {**FACT_DIMENSIONS, "quarter": lambda: F("exit_quarter")}
BY_FOLLOW_UP = {**FACT_DIMENSIONS, "quarter": lambda: F("followed_up_quarter")}


def _persons(filter=None):
    return Count("person_id", distinct=True, filter=filter)


def _mean_days(filter=None):
    return Avg("days_in_accompaniment", filter=filter)


def _whole_days(mean):
    """A mean number of days, rounded (None when nothing is averaged)."""
    return None if mean is None else round(mean)


def in_progress(period):
    return Q(entry_date__lte=period.end) & (
        Q(exit_date__isnull=True) | Q(exit_date__gte=period.start)
    )


def in_progress_qpv(period):
    return in_progress(period) & Q(qpv_at_entry="in_qpv")


def in_progress_women(period):
    return in_progress(period) & Q(gender="female")


def in_progress_under_26(period):
    return in_progress(period) & Q(age_at_entry__lt=26)


def in_progress_over_50(period):
    return in_progress(period) & Q(age_at_entry__gte=50)


def entered(period):
    return Q(entry_date__range=(period.start, period.end))


def exited(period):
    return Q(is_closed=True, exit_date__range=(period.start, period.end))


def exited_positively(period):
    return exited(period) & Q(exit_type__in=sorted(POSITIVE_EXIT_TYPES))


def exited_to_employment(period):
    return exited(period) & Q(exit_type__in=sorted(EMPLOYMENT_EXIT_TYPES))


def followed_up(period):
    return Q(followed_up_on__range=(period.start, period.end))


def employed_at_follow_up(period):
    return followed_up(period) & Q(follow_up_situation__in=sorted(EMPLOYMENT_EXIT_TYPES))


def trained(period):
    """The accompaniments with a training action of their plan started in the period (not
    abandoned): one uncorrelated ``IN``, computed once by the database."""
    actions = PlanAction.objects.filter(
        action_type="training", start_date__range=(period.start, period.end)
    ).exclude(status="abandoned")
    return Q(accompaniment_id__in=actions.values("objective__accompaniment_id"))


def _member(code, condition, dimensions, **changes):
    """Version 2 of ``code``: the same texts as version 1, over the facts."""
    changes.setdefault("measure", _persons)
    return restate_in_family(
        get(code, 1), VERSION, ACCOMPANIMENTS, condition, dimensions=dimensions, **changes
    )


def register_all():
    """After version 1 (``indicators_accompaniment.register_all``), whose texts it reuses."""
    _member("accompanied", in_progress, FACT_DIMENSIONS)
    _member("accompanied_qpv", in_progress_qpv, FACT_DIMENSIONS)
    _member("accompanied_women", in_progress_women, FACT_DIMENSIONS)
    _member("accompanied_under_26", in_progress_under_26, FACT_DIMENSIONS)
    _member("accompanied_over_50", in_progress_over_50, FACT_DIMENSIONS)
    _member("entries", entered, BY_ENTRY)
    _member("exits", exited, BY_EXIT)
    _member("positive_exits", exited_positively, BY_EXIT)
    _member("employed_exits", exited_to_employment, BY_EXIT)
    _member("days_to_job", exited_to_employment, BY_EXIT, measure=_mean_days, convert=_whole_days)
    _member("employed_6_months", employed_at_follow_up, BY_FOLLOW_UP)
    _member("followed_up_6_months", followed_up, BY_FOLLOW_UP)
    # By the characteristics at entry; not by quarter (a person counts once in the period
    # whatever the number of actions: their quarters are those of version 1).
    _member("training_entries", trained, FACT_DIMENSIONS)
    for code in ("positive_exit_rate", "employed_6_months_rate", "training_access_rate"):
        restate(get(code, 1), VERSION)
