"""Statistical masking of the tables of persons: no count under 5 is shown, and what a mask
hides cannot be recomputed by difference from the totals.

A table is a grid of counts with its row totals, its column totals and its grand total. Seen
with its totals it is a set of equations (each row, each column: the cells add up to the
total). **Primary suppression** masks every count under ``THRESHOLD`` (zero included: « 0 »
and « 3 » look alike). **Secondary suppression** then masks more cells until no equation has
exactly one masked term (it would give it away: total minus the others), and no equation whose
masked terms are all primary could only be solved one way (two masked counts that add up to 8
are both 4: such a line gets one more mask). The extra cell masked is the smallest visible one
of the line, so the table loses as little as possible.

Tests play the attacker (``tests/reporting/test_masking.py``): propagating differences over
rows and columns until nothing moves never recovers a masked cell.
"""

from dataclasses import dataclass, field

THRESHOLD = 5
MASK = "< 5"


@dataclass
class MaskedTable:
    """Counts ``cells[r][c]``, with ``row_totals``, ``column_totals`` and ``total``; ``masked``
    holds the positions hidden: ``(r, c)`` for a cell, ``(r, None)`` a row total,
    ``(None, c)`` a column total, ``(None, None)`` the grand total."""

    cells: list[list[int]]
    row_totals: list[int]
    column_totals: list[int]
    total: int
    masked: set = field(default_factory=set)
    primary: set = field(default_factory=set)

    def value(self, row, column):
        if (row, column) in self.masked:
            return None
        if row is None and column is None:
            return self.total
        if row is None:
            return self.column_totals[column]
        if column is None:
            return self.row_totals[row]
        return self.cells[row][column]

    def shown(self, row, column):
        """What a reader sees: the count, or « < 5 »."""
        value = self.value(row, column)
        return MASK if value is None else value


def _lines(rows, columns):
    """Every equation of the table, as (positions of its terms, position of its total)."""
    for r in range(rows):
        yield [(r, c) for c in range(columns)], (r, None)
    for c in range(columns):
        yield [(r, c) for r in range(rows)], (None, c)
    yield [(r, None) for r in range(rows)], (None, None)
    yield [(None, c) for c in range(columns)], (None, None)


def mask(cells, *, threshold=THRESHOLD):
    """The ``MaskedTable`` of a grid of counts (totals computed here, from the cells)."""
    rows = len(cells)
    columns = len(cells[0]) if rows else 0
    table = MaskedTable(
        cells=[list(row) for row in cells],
        row_totals=[sum(row) for row in cells],
        column_totals=[sum(cells[r][c] for r in range(rows)) for c in range(columns)],
        total=sum(sum(row) for row in cells),
    )
    positions = [(r, c) for r in range(rows) for c in range(columns)]
    positions += [(r, None) for r in range(rows)] + [(None, c) for c in range(columns)]
    positions.append((None, None))
    for position in positions:
        raw = _raw(table, position)
        if raw < threshold:
            table.primary.add(position)
    table.masked |= table.primary
    lines = list(_lines(rows, columns))
    changed = True
    while changed:
        changed = False
        for terms, total in lines:
            members = [*terms, total]
            hidden = [p for p in members if p in table.masked]
            if not hidden:
                continue
            if len(hidden) == 1 or (
                total not in hidden and _determined_by_bounds(table, hidden, threshold)
            ):
                candidate = _smallest_visible(table, members)
                if candidate is None:
                    continue
                table.masked.add(candidate)
                changed = True
    return table


def _raw(table, position):
    row, column = position
    if row is None and column is None:
        return table.total
    if row is None:
        return table.column_totals[column]
    if column is None:
        return table.row_totals[row]
    return table.cells[row][column]


def _determined_by_bounds(table, hidden, threshold):
    """Whether masked primary counts (each 0 to threshold - 1) could be read from their sum:
    they sum to 0 or to their maximum. Called for a line whose total is visible (the sum of
    its masked terms is then known to the reader)."""
    if any(position not in table.primary for position in hidden):
        return False
    if len(hidden) < 2:
        return False
    total_hidden = sum(_raw(table, p) for p in hidden)
    return total_hidden in (0, (threshold - 1) * len(hidden))


def _smallest_visible(table, members):
    visible = [p for p in members if p not in table.masked]
    if not visible:
        return None
    return min(visible, key=lambda p: (_raw(table, p), p[0] is None, p[1] is None))


def recover_by_difference(table):
    """What an attacker recomputes from the visible figures: every line with one unknown
    gives it (total minus the others), repeated until nothing more comes. Returns
    ``{position: value}`` of the masked positions recovered."""
    rows = len(table.cells)
    columns = len(table.cells[0]) if rows else 0
    known = {}
    for r in range(rows):
        for c in range(columns):
            known[(r, c)] = table.value(r, c)
        known[(r, None)] = table.value(r, None)
    for c in range(columns):
        known[(None, c)] = table.value(None, c)
    known[(None, None)] = table.value(None, None)
    recovered = {}
    progress = True
    while progress:
        progress = False
        for terms, total in _lines(rows, columns):
            unknown = [p for p in [*terms, total] if known[p] is None]
            if len(unknown) != 1:
                continue
            missing = unknown[0]
            if missing == total:
                value = sum(known[p] for p in terms)
            else:
                value = known[total] - sum(known[p] for p in terms if p != missing)
            known[missing] = value
            recovered[missing] = value
            progress = True
    return recovered


def masked_count(value, *, threshold=THRESHOLD):
    """A single count as a reader may see it: None when under the threshold."""
    return None if value is None or value < threshold else value
