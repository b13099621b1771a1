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


class Figures:
    """The figures of a scope, each computed once; ``prefetch`` computes several of a period
    together (a family's members in one query)."""

    def __init__(self, scope):
        self.scope = scope
        self.known = {}

    def prefetch(self, items, period):
        found = indicators.compute_many(items, self.scope, period)
        self.known.update({(key, period): value for key, value in found.items()})

    def of(self, item, period):
        if item.kind == "rate":
            top, bottom = indicators.get(*item.numerator), indicators.get(*item.denominator)
            return indicators.Ratio(self.of(top, period), self.of(bottom, period)).percent
        if (item.key, period) not in self.known:
            self.known[(item.key, period)] = item.compute(self.scope, period)
        return self.known[(item.key, period)]


def _elapsed(target, today):
    period = Period(target.starts_on, target.ends_on)
    return None if today < period.start else period.until(today)


def _involved(indicator):
    """The counts a target's figure and its mask read."""
    counts = (
        [indicators.get(*indicator.numerator), indicators.get(*indicator.denominator)]
        if indicator.kind == "rate"
        else [indicator]
    )
    return counts + [indicators.get(*count.part_of) for count in counts if count.part_of]


def measure(objective, target, *, scope=None, today=None, mask=False, figures=None):
    today = today or timezone.localdate()
    indicator = indicators.get(objective.indicator_code, objective.indicator_version)
    scope = scope or convention_scope(objective.convention)
    figures = figures or Figures(scope)
    period = Period(target.starts_on, target.ends_on)
    goal = Decimal(target.value)
    if today < period.start:
        return TargetProgress(objective, target, indicator, None, None, None, NOT_STARTED, False)
    elapsed = period.until(today)
    realised = figures.of(indicator, elapsed)
    if indicator.kind == "rate":
        projection = realised
        masked = mask and _rate_masked(indicator, figures, elapsed)
    else:
        projection = round(realised * period.days / elapsed.days, 1)
        masked = (
            mask
            and indicator.counts_persons
            and _count_masked(indicator, realised, figures, elapsed)
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


def _count_masked(indicator, realised, figures, period):
    """A count of 1 to 4 is hidden, and so is a part whose difference with its whole would be
    one (the dashboard shows the whole)."""
    if masked_count(realised) is None:
        return True
    if indicator.part_of is None:
        return False
    whole = figures.of(indicators.get(*indicator.part_of), period)
    return masked_count(whole - realised) is None


def _rate_masked(indicator, figures, period):
    top, bottom = indicators.get(*indicator.numerator), indicators.get(*indicator.denominator)
    return _count_masked(top, figures.of(top, period), figures, period) or _count_masked(
        bottom, figures.of(bottom, period), figures, period
    )


def convention_progress(convention, *, scope=None, today=None, mask=False):
    """Every target of every objective of the convention, measured: the figures of each
    period computed together."""
    today = today or timezone.localdate()
    scope = scope or convention_scope(convention)
    targets = [
        (objective, target)
        for objective in convention.objectives.prefetch_related("targets")
        for target in objective.targets.all()
    ]
    figures = Figures(scope)
    wanted = {}
    for objective, target in targets:
        elapsed = _elapsed(target, today)
        if elapsed is not None:
            indicator = indicators.get(objective.indicator_code, objective.indicator_version)
            wanted.setdefault(elapsed, {}).update({i.key: i for i in _involved(indicator)})
    for period, items in wanted.items():
        figures.prefetch(items.values(), period)
    return [
        measure(objective, target, scope=scope, today=today, mask=mask, figures=figures)
        for objective, target in targets
    ]
