"""The indicators: each defined once, as a query over a module's data, so that a realised
figure is always computed the same way (objectives, dashboards, reports, exports).

An indicator is registered under ``(code, version)``. **Its definition changes only with a new
version**: registering another definition under a used key raises, the older versions stay
registered and callable, and an objective stores the version it is measured with, so a figure
already reported is reproducible (``ReportedFigure`` keeps the value and its version).

Each indicator gives the rows it counts (``rows(scope, period)``, a queryset of its module) and
a measure (an aggregate: distinct persons, establishments, hours…); ``compute`` and
``breakdown`` run one SQL aggregate (no Python loop over rows). Dimensions it supports
(``qpv``, ``sex``, ``age_band``, ``quarter``…) are expressions over the same rows.

A module adds its indicators in ``reporting/indicators_<app>.py`` (a dozen lines each),
imported by ``reporting/registrations.py``. For instance, event attendances::

    def attendances_rows(scope, period):
        rows = Attendance.objects.filter(status="present",
                                         event__starts_at__date__range=(period.start, period.end))
        return scope.restrict(rows, structure="event__structure_id",
                              commune="person__commune", qpv="person__qpv_code")

    register(Indicator(
        code="event_attendances", version=1, label="Participations aux événements",
        description_fr="Personnes présentes à un événement de la période (émargement).",
        unit="personnes", rows=attendances_rows,
        measure=lambda: Count("person_id", distinct=True),
        dimensions={"quarter": lambda: quarter_of("event__starts_at__date")},
        module="Événements",
    ))

then add its fingerprint to ``definitions.json`` (the versions test says which).

**Families.** Indicators over the same rows, each under its own condition (persons accompanied,
of which QPV residents, women…; entries; exits; positive exits…), declare a ``Family``: their
rows are ``family.rows(scope)`` filtered by their ``condition(period)``, and ``compute_many`` /
``breakdown_many`` compute all the members asked for together (each figure an aggregate with its
own FILTER, the rows read in two parts: ``Family``) — the same figure as each member alone
(tested).
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import partial, reduce
from typing import Any

from django.db.models import Avg, CharField, Count, ExpressionWrapper, IntegerField, Q, Sum, Value
from django.db.models.functions import Cast, Mod, Replace

from tisserand.core.registry import Registry


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("La fin de la période précède son début.")

    @property
    def label(self):
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def until(self, day):
        """The part of the period up to ``day`` (the period itself once it is over)."""
        return Period(self.start, max(self.start, min(self.end, day)))

    def quarters(self):
        """The calendar quarters the period touches, as quarter keys (year * 4 + index)."""
        first = quarter_key(self.start)
        return list(range(first, quarter_key(self.end) + 1))

    @classmethod
    def year(cls, year):
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year, month):
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(date(year, month, 1), following - timedelta(days=1))


def quarter_key(day):
    return day.year * 4 + (day.month - 1) // 3


def quarter_label(key):
    return f"T{key % 4 + 1} {key // 4}"


@dataclass(frozen=True)
class Territory:
    """A territory a figure is restricted to: a commune (INSEE code), a QPV (code), a bassin
    d'emploi (code) or an EPCI (SIREN)."""

    kind: str
    code: str

    KINDS = {"commune": "Commune", "qpv": "QPV", "bassin": "Bassin d'emploi", "epci": "EPCI"}

    def __post_init__(self):
        if self.kind not in self.KINDS:
            raise ValueError(f"Territoire inconnu : {self.kind}.")

    def condition(self, commune_path, qpv_path):
        """The filter of rows in the territory, given the paths to their commune and QPV code."""
        if self.kind == "qpv":
            return Q(**{qpv_path: self.code})
        lookup = {"commune": "insee_code", "bassin": "bassin__code", "epci": "epci__siren"}
        return Q(**{f"{commune_path}__{lookup[self.kind]}": self.code})


@dataclass(frozen=True)
class Scope:
    """What a figure covers: structures (``None``: the whole network), programmes (``None``:
    all), a territory (``None``: anywhere)."""

    structure_ids: tuple[int, ...] | None = None
    programme_ids: tuple[int, ...] | None = None
    territory: Territory | None = None

    def restrict(self, rows, *, structure=None, programme=None, commune=None, qpv=None):
        """``rows`` filtered by the scope, given the paths of the rows to each dimension (a
        dimension the rows do not have is not applied: a path of ``None``)."""
        if self.structure_ids is not None and structure:
            rows = rows.filter(**{f"{structure}__in": self.structure_ids})
        if self.programme_ids is not None and programme:
            rows = rows.filter(**{f"{programme}__in": self.programme_ids})
        if self.territory is not None and commune:
            rows = rows.filter(self.territory.condition(commune, qpv))
        return rows

    def key(self):
        """A JSON-able description (stored with a reported figure)."""
        return {
            "structures": list(self.structure_ids) if self.structure_ids is not None else None,
            "programmes": list(self.programme_ids) if self.programme_ids is not None else None,
            "territory": [self.territory.kind, self.territory.code] if self.territory else None,
        }

    @classmethod
    def from_key(cls, key):
        territory = key.get("territory")
        return cls(
            structure_ids=tuple(key["structures"]) if key.get("structures") is not None else None,
            programme_ids=tuple(key["programmes"]) if key.get("programmes") is not None else None,
            territory=Territory(*territory) if territory else None,
        )


def date_number(date_path):
    """A date as the integer YYYYMMDD, in plain SQL (REPLACE and CAST on its ISO text): no
    per-row date function, fast on SQLite and PostgreSQL alike. Whole years between two dates
    are ``(later - earlier) // 10000``."""
    text = Cast(date_path, output_field=CharField())
    return Cast(Replace(text, Value("-"), Value("")), output_field=IntegerField())


def quarter_of(date_path):
    """The quarter key (year * 4 + index) of a date, in SQL (integer arithmetic)."""
    number = date_number(date_path)
    year = ExpressionWrapper(number / Value(10000), output_field=IntegerField())
    # SQLite's MOD returns a real: cast back, or (month - 1) / 3 is no integer division and
    # the months of a quarter fall into different groups.
    month = Cast(
        Mod(ExpressionWrapper(number / Value(100), output_field=IntegerField()), Value(100)),
        output_field=IntegerField(),
    )
    index = ExpressionWrapper((month - Value(1)) / Value(3), output_field=IntegerField())
    return ExpressionWrapper(year * Value(4) + index, output_field=IntegerField())


@dataclass(frozen=True, eq=False)
class Family:
    """Rows that several indicators count under their own conditions (``Indicator.family``):
    ``rows(scope)`` -> a queryset. Each member's ``measure`` takes a ``filter`` (its condition):
    a count of distinct persons, a mean, a sum or a count of rows.

    Computed together, the rows are read in two parts: those of persons who have one row in
    the whole table (``alone``: a count of them needs no DISTINCT, so the database groups them
    by hashing instead of sorting them all), and the others; each figure adds its two parts
    (a mean: its sums and counts)."""

    key: str
    rows: Callable[[Scope], Any]
    # The rows of persons who have no other row in the family's table (None: the members
    # count no distinct persons, the rows are read in one part).
    alone: Q | None = None

    def member_rows(self, condition):
        """The ``rows`` of a member: the family's rows under its condition."""

        def rows(scope, period):
            return self.rows(scope).filter(condition(period))

        return rows

    def _parts(self, members, period):
        """(conditions, aggregates over rows alone, over the others, combine(alone, others))."""
        conditions = [member.condition(period) for member in members]
        alone, others, combiners = {}, {}, []
        for i, (member, condition) in enumerate(zip(members, conditions, strict=True)):
            aggregate = member.measure(filter=condition)
            if self.alone is None:
                combiners.append(_whole(f"figure_{i}", aggregate, alone))
            else:
                combiners.append(_split(f"figure_{i}", aggregate, alone, others))

        def combine(first, second):
            return [combiner(first, second) for combiner in combiners]

        return conditions, alone, others, combine

    def _rows(self, scope, conditions):
        return self.rows(scope).filter(reduce(operator.or_, conditions))

    def _split_rows(self, rows):
        """The two parts of the rows (the second empty when the family has no ``alone``)."""
        if self.alone is None:
            return rows, rows.none()
        return rows.filter(self.alone), rows.exclude(self.alone)

    def compute(self, members, scope, period):
        """``{key: figure}`` of the members: two queries (one without ``alone``)."""
        conditions, alone, others, combine = self._parts(members, period)
        first_rows, second_rows = self._split_rows(self._rows(scope, conditions))
        first = first_rows.aggregate(**alone)
        second = second_rows.aggregate(**others) if self.alone is not None else {}
        raws = combine(first, second)
        return {member.key: member._value(raw) for member, raw in zip(members, raws, strict=True)}

    def breakdown(self, members, scope, period, by):
        """``{key: {(dimension values): figure}}`` of members sharing the dimensions of ``by``:
        two GROUP BY queries. As for a member alone, a group where it counts nothing is absent."""
        conditions, alone, others, combine = self._parts(members, period)
        dimensions = {f"dim_{name}": members[0].dimensions[name]() for name in by}
        rows = self._rows(scope, conditions).annotate(**dimensions)

        def grouped(part, aggregates):
            query = part.values(*dimensions).annotate(**aggregates).order_by()
            return {tuple(row[name] for name in dimensions): row for row in query}

        first_rows, second_rows = self._split_rows(rows)
        first = grouped(first_rows, alone)
        second = grouped(second_rows, others) if self.alone is not None else {}
        found = {member.key: {} for member in members}
        for group in first.keys() | second.keys():
            raws = combine(first.get(group, {}), second.get(group, {}))
            for member, raw in zip(members, raws, strict=True):
                # A count of 0 or a mean of nothing: no row of that member in the group.
                if raw is not None and (raw or member.kind == "mean"):
                    found[member.key][group] = member._value(raw)
        return found


def _whole(name, aggregate, aggregates):
    aggregates[name] = aggregate
    return lambda first, second: first.get(name)


def _split(name, aggregate, alone, others):
    """Adds to ``alone`` and ``others`` the parts of ``aggregate`` over each part of a
    family's rows; returns how to put them back together."""
    condition = aggregate.filter
    if isinstance(aggregate, Count) and aggregate.distinct:
        alone[name] = Count("pk", filter=condition)
        others[name] = aggregate
        return lambda first, second: first.get(name, 0) + second.get(name, 0)
    if isinstance(aggregate, Avg):
        value = aggregate.get_source_expressions()[0]
        for part in (alone, others):
            part[f"{name}_sum"] = Sum(value, filter=condition)
            part[f"{name}_count"] = Count(value, filter=condition)
        return partial(_mean, name)
    alone[name] = others[name] = aggregate
    return lambda first, second: (first.get(name) or 0) + (second.get(name) or 0)


def _mean(name, first, second):
    count = (first.get(f"{name}_count") or 0) + (second.get(f"{name}_count") or 0)
    if not count:
        return None
    total = (first.get(f"{name}_sum") or 0) + (second.get(f"{name}_sum") or 0)
    return Fraction(total) / count


@dataclass(frozen=True)
class Indicator:
    code: str
    version: int
    label: str
    # What counts, from which date: shown beside every figure.
    description_fr: str
    # « personnes », « entreprises », « heures »…
    unit: str
    # rows(scope, period) -> a queryset of the rows counted.
    rows: Callable[[Scope, Period], Any]
    # measure() -> an aggregate over those rows (Count(..., distinct=True), Sum(...)).
    measure: Callable[[], Any]
    # name -> () -> an expression over the rows, for breakdowns.
    dimensions: dict[str, Callable[[], Any]] = field(default_factory=dict)
    module: str = ""
    # Whether a figure counts persons (masked under 5 for a funder and in every table).
    counts_persons: bool = True
    order: int = 100
    # convert(aggregate) -> the figure (a mean duration → days); None: the aggregate itself.
    convert: Callable[[Any], Any] | None = None
    # For a mean: the (code, version) of the count of what it is the mean of (masking).
    basis: tuple[str, int] | None = None
    # The (code, version) of the count this one is a part of (« dont femmes » of « accompanied »):
    # when both are shown, the difference is a count too, masked like any other.
    part_of: tuple[str, int] | None = None
    # A member of a family: its rows are ``family.member_rows(condition)``, condition(period)
    # -> a Q over the family's rows, and measure(filter=None) -> the aggregate.
    family: Family | None = None
    condition: Callable[[Period], Q] | None = None

    @property
    def kind(self):
        return "mean" if self.basis else "count"

    @property
    def key(self):
        return (self.code, self.version)

    def _value(self, raw):
        if self.convert is not None:
            return self.convert(raw)
        return raw or 0

    def compute(self, scope, period):
        """The figure: one SQL aggregate."""
        return self._value(self.rows(scope, period).aggregate(value=self.measure())["value"])

    def breakdown(self, scope, period, by):
        """``{(value of each dimension of by): figure}``: one GROUP BY query."""
        unknown = [name for name in by if name not in self.dimensions]
        if unknown:
            raise LookupError(f"L'indicateur {self.code} ne se ventile pas par {unknown[0]}.")
        annotations = {f"dim_{name}": self.dimensions[name]() for name in by}
        grouped = (
            self.rows(scope, period)
            .annotate(**annotations)
            .values(*annotations)
            .annotate(value=self.measure())
            .order_by()
        )
        return {
            tuple(row[f"dim_{name}"] for name in by): self._value(row["value"]) for row in grouped
        }

    def supports(self, dimension):
        return dimension in self.dimensions


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self):
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)


@dataclass(frozen=True)
class RateIndicator:
    """A share: one indicator over another (both pinned to their version)."""

    code: str
    version: int
    label: str
    description_fr: str
    numerator: tuple[str, int]
    denominator: tuple[str, int]
    module: str = ""
    unit: str = "%"
    counts_persons: bool = True
    order: int = 100

    kind = "rate"
    family = None

    @property
    def key(self):
        return (self.code, self.version)

    @property
    def dimensions(self):
        top, bottom = get(*self.numerator), get(*self.denominator)
        return {name: top.dimensions[name] for name in top.dimensions if bottom.supports(name)}

    def supports(self, dimension):
        return dimension in self.dimensions

    def ratio(self, scope, period):
        return Ratio(
            get(*self.numerator).compute(scope, period),
            get(*self.denominator).compute(scope, period),
        )

    def compute(self, scope, period):
        """The rate in percent (None when nothing is counted below it)."""
        return self.ratio(scope, period).percent

    def breakdown_ratios(self, scope, period, by):
        top = get(*self.numerator).breakdown(scope, period, by)
        bottom = get(*self.denominator).breakdown(scope, period, by)
        return {key: Ratio(top.get(key, 0), value) for key, value in bottom.items()}


class DefinitionChanged(Exception):
    """A definition was registered again under a used ``(code, version)``."""


class _IndicatorRegistry(Registry):
    def register(self, item):
        existing = self._items.get(item.key)
        if existing is not None and _fingerprint(existing) != _fingerprint(item):
            raise DefinitionChanged(
                f"L'indicateur {item.code} v{item.version} est déjà défini autrement : "
                "une nouvelle définition demande une nouvelle version."
            )
        return super().register(item)


def _fingerprint(item):
    """What makes a definition: its texts and the source of its functions (a re-import of the
    same module registers the same fingerprint)."""
    parts = [item.code, str(item.version), item.label, item.description_fr, item.unit, item.kind]
    for name in ("rows", "measure", "convert", "condition"):
        function = getattr(item, name, None)
        if function is not None:
            parts.append(inspect.getsource(function))
    for name in ("numerator", "denominator"):
        parts.append(repr(getattr(item, name, None)))
    if item.kind != "rate":
        parts.append(",".join(sorted(item.dimensions)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def fingerprint(item):
    """The hash of a definition, stored with every reported figure and in
    ``reporting/definitions.json`` (a test fails when a registered definition no longer has
    the hash of its version there: change the version instead)."""
    return _fingerprint(item)


registered: _IndicatorRegistry = _IndicatorRegistry("Indicateurs", key_of=lambda item: item.key)


def register(item):
    return registered.register(item)


def restate(item, version, **changes):
    """``item`` registered again at ``version``, with the same texts and new functions
    (``changes``); what it points to (the whole it is part of, the count of a mean, the terms
    of a rate) at that version too."""
    for name in ("part_of", "basis", "numerator", "denominator"):
        pointed = getattr(item, name, None)
        if pointed is not None and name not in changes:
            changes[name] = (pointed[0], version)
    if item.kind == "rate" and "description_fr" not in changes:
        changes["description_fr"] = item.description_fr.replace(
            f"(v{item.version})", f"(v{version})"
        )
    return register(dataclasses.replace(item, version=version, **changes))


def restate_in_family(item, version, family, condition, **changes):
    """``item`` restated as a member of ``family`` counting its rows under ``condition``."""
    return restate(
        item,
        version,
        rows=family.member_rows(condition),
        family=family,
        condition=condition,
        **changes,
    )


def get(code, version=None):
    """The indicator ``code`` at ``version`` (its latest version when None)."""
    if version is None:
        return latest(code)
    return registered.get((code, version))


def versions(code):
    return sorted(item.version for item in registered if item.code == code)


def latest(code):
    known = versions(code)
    if not known:
        raise LookupError(f"Indicateurs : « {code} » n'est pas enregistré.")
    return registered.get((code, known[-1]))


def current():
    """The latest version of every indicator, in order."""
    latest_of = {}
    for item in registered.items():
        if item.version > latest_of.get(item.code, item).version or item.code not in latest_of:
            latest_of[item.code] = item
    return sorted(latest_of.values(), key=lambda item: (item.order, item.code))


def choices():
    """Form choices « label (vN) » of the current definitions."""
    return [(item.code, f"{item.label} (v{item.version})") for item in current()]


def compute_many(items: Iterable, scope, period):
    """``{key: figure}`` of the counts and means among ``items`` (rates are computed from
    theirs): the members of a family together, in one query per family."""
    figures, families = {}, {}
    for item in items:
        if item.kind == "rate":
            continue
        if item.family is None:
            figures[item.key] = item.compute(scope, period)
        else:
            families.setdefault(item.family.key, (item.family, []))[1].append(item)
    for family, members in families.values():
        figures.update(family.compute(members, scope, period))
    return figures


def breakdown_many(items: Iterable, scope, period, by):
    """``{key: breakdown}`` of ``items`` by the dimensions of ``by``: the members of a family
    whose dimensions of ``by`` are the same expressions, in one query."""
    breakdowns, groups = {}, {}
    for item in items:
        if item.family is None or not all(item.supports(name) for name in by):
            breakdowns[item.key] = item.breakdown(scope, period, by)
            continue
        same = (item.family.key, *(id(item.dimensions[name]) for name in by))
        groups.setdefault(same, (item.family, []))[1].append(item)
    for family, members in groups.values():
        breakdowns.update(family.breakdown(members, scope, period, by))
    return breakdowns
