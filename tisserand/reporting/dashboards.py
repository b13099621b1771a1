"""The dashboards' tables: the key figures of every current indicator (masked for a funder)
and the quarterly evolution, shared by the pages, their XLSX exports and the monthly report."""

from tisserand.reporting import charts, indicators, perms
from tisserand.reporting.indicators import quarter_label
from tisserand.reporting.masking import SMALL, masked_count
from tisserand.reporting.tables import Table


def _shown(indicator, value, masked, ratio=None, basis=None):
    if indicator.kind == "mean":
        if value is None:
            return "—"
        return SMALL if masked and masked_count(basis) is None else value
    if indicator.kind == "rate":
        if value is None:
            return "—"
        if masked and (
            masked_count(ratio.numerator) is None or masked_count(ratio.denominator) is None
        ):
            return SMALL
        return f"{value} %"
    if masked and indicator.counts_persons and masked_count(value) is None:
        return SMALL
    return value


def key_figures(membership, scope, period):
    masked = perms.masks_small_counts(membership)
    rows = []
    computed = {}

    def value_of(key):
        """Each count computed once per table (a rate reuses its numerator and denominator)."""
        if key not in computed:
            computed[key] = indicators.get(*key).compute(scope, period)
        return computed[key]

    for indicator in indicators.current():
        if indicator.kind == "rate":
            ratio = indicators.Ratio(value_of(indicator.numerator), value_of(indicator.denominator))
            shown = _shown(indicator, ratio.percent, masked, ratio)
        elif indicator.kind == "mean":
            basis = value_of(indicator.basis) if masked else None
            shown = _shown(indicator, value_of(indicator.key), masked, basis=basis)
        else:
            shown = _shown(indicator, value_of(indicator.key), masked)
        rows.append(
            [
                indicator.label,
                shown,
                indicator.unit,
                f"v{indicator.version}",
                indicator.description_fr,
            ]
        )
    return Table(
        f"Indicateurs {period.label}",
        ["Indicateur", "Valeur", "Unité", "Version", "Ce qui est compté"],
        rows,
        note="Chaque chiffre est calculé par la définition de l'indicateur à la version "
        "indiquée." + (" Les effectifs de moins de 5 personnes sont masqués." if masked else ""),
        key="indicateurs",
    )


QUARTERLY = [("entries", "Entrées"), ("exits", "Sorties"), ("positive_exits", "Sorties positives")]


def quarterly(scope, period):
    """Entries, exits and positive exits per quarter (each cell masked under 5; no totals)."""
    keys = period.quarters()
    series = []
    for code, label in QUARTERLY:
        counts = indicators.get(code).breakdown(scope, period, ("quarter",))
        series.append((label, [masked_count(counts.get((key,), 0)) for key in keys]))
    labels = [quarter_label(key) for key in keys]
    table = Table(
        "Entrées, sorties et sorties positives par trimestre",
        ["Trimestre", *[label for label, _ in series]],
        [
            [labels[i], *[SMALL if values[i] is None else values[i] for _, values in series]]
            for i in range(len(keys))
        ],
        note="Personnes, par trimestre de la date d'entrée ou de sortie ; « < 5 » : masqué.",
        key="trimestres",
    )
    chart = charts.bar_chart("chart-quarters", table.title, labels, series)
    return table, chart
