"""The equal-opportunity view: QPV residents versus the rest, by sex and age band, the gap and
its evolution by quarter (positive exits, days to a job, employment at 6 months, access to
training, introductions that led to a hire — their rate — and clause jobs). « Indéterminé » is its
own column, never counted as « hors QPV ». Every table is masked (``masking.mask``): counts of
1 to 4, and what would give them away."""

from contextvars import ContextVar

from tisserand.people.models import Gender
from tisserand.reporting import indicators
from tisserand.reporting.indicators import quarter_label
from tisserand.reporting.indicators_accompaniment import AGE_BANDS
from tisserand.reporting.masking import MASK, mask
from tisserand.reporting.tables import Table

QPV_COLUMNS = [("in_qpv", "QPV"), ("not_in_qpv", "Hors QPV"), ("unknown", "Indéterminé")]
SEXES = list(Gender.choices)
RATES = [
    ("positive_exit_rate", "Taux de sorties positives"),
    ("employed_6_months_rate", "Taux d'emploi à 6 mois"),
    ("training_access_rate", "Accès à la formation"),
    ("introductions_hire_rate", "Taux d'embauche des mises en relation"),
]
# Counts shown by sex and age band beside the accompanied persons.
COUNTS = ["accompanied", "introductions_hired", "clause_jobs"]


_memo: ContextVar[dict | None] = ContextVar("equality_memo", default=None)


def _breakdown(indicator, scope, period, by):
    """A breakdown, computed once per page (``view``): tables share their counts."""
    memo = _memo.get()
    if memo is None:
        return indicator.breakdown(scope, period, by)
    key = (indicator.key, scope, period, by)
    if key not in memo:
        memo[key] = indicator.breakdown(scope, period, by)
    return memo[key]


def _grid(breakdown, row_keys):
    return [[breakdown.get((qpv, row), 0) for qpv, _ in QPV_COLUMNS] for row in row_keys]


def count_table(code, dimension, scope, period):
    """Counts of an indicator by (dimension × QPV status), masked, with totals."""
    indicator = indicators.get(code)
    rows = SEXES if dimension == "sex" else list(AGE_BANDS.items())
    breakdown = _breakdown(indicator, scope, period, ("qpv", dimension))
    masked = mask(_grid(breakdown, [key for key, _ in rows]))
    lines = [
        [label, *[masked.shown(r, c) for c in range(len(QPV_COLUMNS))], masked.shown(r, None)]
        for r, (_, label) in enumerate(rows)
    ]
    lines.append(
        [
            "Ensemble",
            *[masked.shown(None, c) for c in range(len(QPV_COLUMNS))],
            masked.shown(None, None),
        ]
    )
    by = "genre" if dimension == "sex" else "tranche d'âge"
    return Table(
        f"{indicator.label} par {by} et résidence en QPV",
        [by.capitalize(), *[label for _, label in QPV_COLUMNS], "Total"],
        lines,
        note=indicator.description_fr,
        key=f"{code}-{dimension}",
    ), masked


def rate_table(code, dimension, scope, period):
    """A rate by (dimension × QPV status): each cell « rate % (n = count) », masked where its
    numerator or denominator is masked; the gap QPV − hors QPV in points."""
    indicator = indicators.get(code)
    if dimension == "quarter":
        keys = period.quarters()
        rows = [(key, quarter_label(key)) for key in keys]
    elif dimension == "sex":
        rows = SEXES
    else:
        rows = list(AGE_BANDS.items())
    by = ("qpv", dimension)
    top = _breakdown(indicators.get(*indicator.numerator), scope, period, by)
    bottom = _breakdown(indicators.get(*indicator.denominator), scope, period, by)
    row_keys = [key for key, _ in rows]
    numerators, denominators = mask(_grid(top, row_keys)), mask(_grid(bottom, row_keys))
    lines, gaps = [], []
    for r, (_, label) in enumerate([*rows, (None, "Ensemble")]):
        r_index = None if r == len(rows) else r
        rates = []
        cells = []
        for c in range(len(QPV_COLUMNS)):
            num, den = numerators.value(r_index, c), denominators.value(r_index, c)
            if num is None or den is None:
                rates.append(None)
                cells.append(MASK)
            elif den == 0:
                rates.append(None)
                cells.append("—")
            else:
                rate = round(100 * num / den, 1)
                rates.append(rate)
                cells.append(f"{rate} % ({num} / {den})")
        gap = None if rates[0] is None or rates[1] is None else round(rates[0] - rates[1], 1)
        gaps.append((label, gap, rates))
        lines.append([label, *cells, "—" if gap is None else f"{gap:+} pts"])
    heading = {"quarter": "Trimestre", "sex": "Genre", "age_band": "Tranche d'âge"}[dimension]
    table = Table(
        f"{indicator.label} par {heading.lower()} : QPV et hors QPV",
        [heading, *[label for _, label in QPV_COLUMNS], "Écart QPV − hors QPV"],
        lines,
        note=indicator.description_fr
        + " Chaque case donne le taux, puis le nombre de personnes (numérateur / dénominateur).",
        key=f"{code}-{dimension}",
    )
    return table, gaps


def mean_table(code, dimension, scope, period):
    """A mean (days to a job) by (dimension × QPV status): « N jours (n = count) », masked where
    the count it is the mean of is masked; the gap QPV − hors QPV in days."""
    indicator = indicators.get(code)
    rows = SEXES if dimension == "sex" else list(AGE_BANDS.items())
    by = ("qpv", dimension)
    means = _breakdown(indicator, scope, period, by)
    counts = _breakdown(indicators.get(*indicator.basis), scope, period, by)
    row_keys = [key for key, _ in rows]
    masked = mask(_grid(counts, row_keys))
    overall = {
        qpv: value for (qpv,), value in _breakdown(indicator, scope, period, ("qpv",)).items()
    }
    lines = []
    for r, (key, label) in enumerate([*rows, (None, "Ensemble")]):
        r_index = None if r == len(rows) else r
        values, cells = [], []
        for c, (qpv, _) in enumerate(QPV_COLUMNS):
            count = masked.value(r_index, c)
            mean = overall.get(qpv) if key is None else means.get((qpv, key))
            if count is None:
                values.append(None)
                cells.append(MASK)
            elif not count or mean is None:
                values.append(None)
                cells.append("—")
            else:
                values.append(mean)
                cells.append(f"{mean} jours (n = {count})")
        gap = None if values[0] is None or values[1] is None else values[0] - values[1]
        lines.append([label, *cells, "—" if gap is None else f"{gap:+} jours"])
    heading = "Genre" if dimension == "sex" else "Tranche d'âge"
    return Table(
        f"{indicator.label} par {heading.lower()} : QPV et hors QPV",
        [heading, *[label for _, label in QPV_COLUMNS], "Écart QPV − hors QPV"],
        lines,
        note=indicator.description_fr + " Chaque case donne la moyenne puis le nombre de sorties.",
        key=f"{code}-{dimension}",
    )


def view(scope, period):
    """Everything the page shows: count tables, rate tables, quarterly evolution."""
    memo = {}
    token = _memo.set(memo)
    try:
        _prefetch(memo, scope, period)
        return _view(scope, period)
    finally:
        _memo.reset(token)


def _wanted():
    """``{dimensions: indicators}`` of the breakdowns the page's tables read."""
    by_sex, by_age = ("qpv", "sex"), ("qpv", "age_band")
    wanted = {by_sex: [], by_age: [], ("qpv", "quarter"): [], ("qpv",): []}
    for code in COUNTS:
        wanted[by_sex].append(indicators.get(code))
        wanted[by_age].append(indicators.get(code))
    for code, _ in RATES:
        rate = indicators.get(code)
        for key in (rate.numerator, rate.denominator):
            wanted[by_sex].append(indicators.get(*key))
            wanted[by_age].append(indicators.get(*key))
    mean = indicators.get("days_to_job")
    for by in (by_sex, by_age):
        wanted[by] += [mean, indicators.get(*mean.basis)]
    wanted[("qpv",)].append(mean)
    evolution = indicators.get("positive_exit_rate")
    wanted[("qpv", "quarter")] += [
        indicators.get(*evolution.numerator),
        indicators.get(*evolution.denominator),
    ]
    return wanted


def _prefetch(memo, scope, period):
    """The page's breakdowns into its memo: the members of a family in one query each."""
    for by, wanted in _wanted().items():
        unique = list({item.key: item for item in wanted}.values())
        found = indicators.breakdown_many(unique, scope, period, by)
        for item in unique:
            memo[(item.key, scope, period, by)] = found[item.key]


def _view(scope, period):
    tables = [
        count_table(code, dimension, scope, period)[0]
        for code in COUNTS
        for dimension in ("sex", "age_band")
    ]
    rates = []
    for code, _ in RATES:
        for dimension in ("sex", "age_band"):
            rates.append(rate_table(code, dimension, scope, period)[0])
    rates.insert(2, mean_table("days_to_job", "sex", scope, period))
    rates.insert(3, mean_table("days_to_job", "age_band", scope, period))
    evolution, gaps = rate_table("positive_exit_rate", "quarter", scope, period)
    return {"counts": tables, "rates": rates, "evolution": evolution, "gaps": gaps}
