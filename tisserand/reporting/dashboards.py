"""The dashboards' tables: the key figures of every current indicator (masked for a funder)
and the quarterly evolution, shared by the pages, their XLSX exports and the monthly report."""

from tisserand.reporting import charts, indicators, perms
from tisserand.reporting.indicators import quarter_label
from tisserand.reporting.masking import SMALL, masked_count
from tisserand.reporting.tables import Table


def key_figures(membership, scope, period):
    """Every current indicator's figure. For a reader who must not see small counts (a
    funder), a count of 1 to 4 reads « < 5 », and so does a part whose difference with its
    whole (« dont femmes » of « personnes accompagnées ») would be one, and a rate or a mean
    resting on a hidden count."""
    masked = perms.masks_small_counts(membership)
    rows = []
    # Every count and mean at once: a family's members in one query.
    computed = indicators.compute_many(indicators.current(), scope, period)

    def value_of(key):
        """Each count computed once per table (a rate reuses its numerator and denominator)."""
        if key not in computed:
            computed[key] = indicators.get(*key).compute(scope, period)
        return computed[key]

    def hidden(key):
        indicator = indicators.get(*key)
        if not masked or not indicator.counts_persons:
            return False
        value = value_of(key)
        if masked_count(value) is None:
            return True
        return indicator.part_of is not None and (
            masked_count(value_of(indicator.part_of) - value) is None
        )

    for indicator in indicators.current():
        if indicator.kind == "rate":
            ratio = indicators.Ratio(value_of(indicator.numerator), value_of(indicator.denominator))
            if ratio.percent is None:
                shown = "—"
            elif hidden(indicator.numerator) or hidden(indicator.denominator):
                shown = SMALL
            else:
                shown = f"{ratio.percent} %"
        elif indicator.kind == "mean":
            value = value_of(indicator.key)
            shown = "—" if value is None else SMALL if hidden(indicator.basis) else value
        else:
            shown = SMALL if hidden(indicator.key) else value_of(indicator.key)
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
        "indiquée."
        + (
            " Les effectifs de 1 à 4 personnes sont masqués, comme ceux qui se déduiraient "
            "par différence."
            if masked
            else ""
        ),
        key="indicateurs",
    )


QUARTERLY = [("entries", "Entrées"), ("exits", "Sorties"), ("positive_exits", "Sorties positives")]


def quarterly(scope, period):
    """Entries, exits and positive exits per quarter (no totals): a count of 1 to 4 is masked,
    and so are the positive exits when the other exits of the quarter number 1 to 4."""
    keys = period.quarters()
    series = []
    found = indicators.breakdown_many(
        [indicators.get(code) for code, _ in QUARTERLY], scope, period, ("quarter",)
    )
    counts = {code: found[indicators.get(code).key] for code, _ in QUARTERLY}
    for code, label in QUARTERLY:
        part_of = indicators.get(code).part_of
        values = []
        for key in keys:
            value = counts[code].get((key,), 0)
            whole = counts[part_of[0]].get((key,), 0) if part_of else None
            # A part whose difference with its whole is 1 to 4 would give that count away.
            if masked_count(value) is None or (
                whole is not None and masked_count(whole - value) is None
            ):
                value = None
            values.append(value)
        series.append((label, values))
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
