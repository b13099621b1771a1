"""Objectives measured against what is realised: the realised figure (always by the
objective's version of the indicator), the progress against the target, a linear projection
to the end of the period, and an alert when behind."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from tisserand.reporting import indicators
from tisserand.reporting.indicators import Period
from tisserand.reporting.masking import masked_count
from tisserand.reporting.scopes import convention_scope

NOT_STARTED, ACHIEVED, ON_TRACK, BEHIND = "not_started", "achieved", "on_track", "behind"
STATUS_LABELS = {
    NOT_STARTED: ("Pas commencée", "neutral"),
    ACHIEVED: ("Atteint", "success"),
    ON_TRACK: ("En bonne voie", "info"),
    BEHIND: ("En retard", "danger"),
}


@dataclass
class TargetProgress:
    objective: object
    target: object
    indicator: object
    realised: object
    projection: object
    percent: object
    status: str
    masked: bool

    @property
    def status_label(self):
        return STATUS_LABELS[self.status][0]

    @property
    def tone(self):
        return STATUS_LABELS[self.status][1]

    @property
    def is_behind(self):
        return self.status == BEHIND


def measure(objective, target, *, scope=None, today=None, mask=False):
    today = today or timezone.localdate()
    indicator = indicators.get(objective.indicator_code, objective.indicator_version)
    scope = scope or convention_scope(objective.convention)
    period = Period(target.starts_on, target.ends_on)
    goal = Decimal(target.value)
    if today < period.start:
        return TargetProgress(objective, target, indicator, None, None, None, NOT_STARTED, False)
    elapsed = period.until(today)
    realised = indicator.compute(scope, elapsed)
    if indicator.kind == "rate":
        projection = realised
        masked = mask and _rate_masked(indicator, scope, elapsed)
    else:
        projection = round(realised * period.days / elapsed.days, 1)
        masked = (
            mask and indicator.counts_persons and _count_masked(indicator, realised, scope, elapsed)
        )
    if realised is None:
        status = NOT_STARTED
    elif Decimal(str(realised)) >= goal:
        status = ACHIEVED
    elif projection is not None and Decimal(str(projection)) >= goal:
        status = ON_TRACK
    else:
        status = BEHIND
    percent = None if realised is None else round(100 * Decimal(str(realised)) / goal)
    if masked:
        realised = projection = percent = None
    return TargetProgress(
        objective, target, indicator, realised, projection, percent, status, masked
    )


def _count_masked(indicator, realised, scope, period):
    """A count of 1 to 4 is hidden, and so is a part whose difference with its whole would be
    one (the dashboard shows the whole)."""
    if masked_count(realised) is None:
        return True
    if indicator.part_of is None:
        return False
    whole = indicators.get(*indicator.part_of).compute(scope, period)
    return masked_count(whole - realised) is None


def _rate_masked(indicator, scope, period):
    ratio = indicator.ratio(scope, period)
    top, bottom = indicators.get(*indicator.numerator), indicators.get(*indicator.denominator)
    return _count_masked(top, ratio.numerator, scope, period) or _count_masked(
        bottom, ratio.denominator, scope, period
    )


def convention_progress(convention, *, scope=None, today=None, mask=False):
    """Every target of every objective of the convention, measured."""
    scope = scope or convention_scope(convention)
    return [
        measure(objective, target, scope=scope, today=today, mask=mask)
        for objective in convention.objectives.prefetch_related("targets")
        for target in objective.targets.all()
    ]
