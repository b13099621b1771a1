"""Statistical masking of the tables of persons: no count under 5 is shown, and what a mask
hides cannot be recomputed by difference from the totals.

A table is a grid of counts with its row totals, its column totals and its grand total. Seen
with its totals it is a set of equations (each row, each column: the cells add up to the
total). **Primary suppression** masks every count from 1 to ``THRESHOLD - 1`` (a zero is
shown: it describes nobody). **Secondary suppression** then masks more cells until no equation
has exactly one masked term (it would give it away: total minus the others), and no equation
whose masked terms are all primary could only be solved one way (two masked counts that add up
to 8 are both 4, to 2 both 1: such a line gets one more mask). The extra cell masked is the
smallest visible one of the line (not a zero), so the table loses as little as possible.

Tests play the attacker (``tests/reporting/test_masking.py``): propagating differences over
rows and columns until nothing moves never recovers a masked cell.
"""

from dataclasses import dataclass, field

THRESHOLD = 5
# What a masked cell of a table shows: the same word for a small count and for a cell masked
# to protect it (« < 5 » on a masked 30 would be false, and would tell which is which).
MASK = "masqué"
SMALL = "< 5"


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
        """What a reader sees: the count, or « masqué »."""
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
        if 0 < raw < threshold:
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
    """Whether a reader who knows the sum of the masked terms of a line (its total is shown)
    and their bounds — a primary count is 1 to threshold - 1, another masked count 0 or more —
    could read them all: when the sum is their least possible one, or every term is primary
    and the sum their greatest possible one."""
    if len(hidden) < 2:
        return False
    total_hidden = sum(_raw(table, p) for p in hidden)
    primaries = sum(1 for p in hidden if p in table.primary)
    if total_hidden == primaries:
        return True
    return primaries == len(hidden) and total_hidden == (threshold - 1) * len(hidden)


def _smallest_visible(table, members):
    visible = [p for p in members if p not in table.masked]
    if not visible:
        return None
    # A zero masked would still be read as zero (its least value): a non-zero count first.
    return min(
        visible, key=lambda p: (_raw(table, p) == 0, _raw(table, p), p[0] is None, p[1] is None)
    )


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
    """A single count as a reader may see it: None from 1 to threshold - 1 (zero is shown)."""
    return None if value is None or 0 < value < threshold else value
