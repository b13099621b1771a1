"""Masking: no count under 5 is shown, and an attacker who recomputes masked cells by
difference from the totals recovers none."""

import random

import pytest

from tisserand.reporting.masking import MASK, mask, recover_by_difference


def test_small_counts_are_masked_and_large_ones_shown():
    table = mask([[12, 3], [20, 30]])
    assert table.shown(0, 1) == MASK
    assert table.shown(1, 1) == 30 or table.shown(1, 1) == MASK
    assert all(
        table.value(r, c) is None for r in range(2) for c in range(2) if 0 < table.cells[r][c] < 5
    )


def test_one_masked_cell_in_a_row_gets_a_second_mask():
    table = mask([[12, 3, 40], [20, 30, 50]])
    hidden_in_row = [c for c in range(3) if (0, c) in table.masked]
    assert len(hidden_in_row) >= 2
    hidden_in_column = [r for r in range(2) if (r, 1) in table.masked]
    assert len(hidden_in_column) >= 2


def test_the_attacker_fails_on_a_simple_table():
    table = mask([[12, 3, 40], [20, 30, 50], [7, 9, 11]])
    recovered = recover_by_difference(table)
    assert not set(recovered) & table.primary
    assert recovered == {}


def test_two_masked_counts_that_could_only_be_fours_get_a_third_mask():
    table = mask([[4, 4, 30], [4, 4, 30], [40, 40, 40]])
    # Row 0 hides 4 and 4 (sum 8 = 2 × 4): the reader would know both. One more mask.
    for r in (0, 1):
        hidden = [c for c in range(3) if (r, c) in table.masked]
        assert len(hidden) >= 3 or (r, None) in table.masked


@pytest.mark.parametrize("seed", range(200))
def test_the_attacker_never_recovers_a_masked_cell(seed):
    rng = random.Random(seed)
    rows, columns = rng.randint(1, 6), rng.randint(1, 5)
    cells = [
        [rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for _ in range(columns)] for _ in range(rows)
    ]
    table = mask(cells)
    recovered = recover_by_difference(table)
    leaked = {position: value for position, value in recovered.items() if position in table.primary}
    assert leaked == {}, f"{cells} : {leaked}"
    # Nothing under 5 is ever visible.
    for r in range(rows):
        for c in range(columns):
            assert table.value(r, c) in (None, 0) or table.value(r, c) >= 5


def test_zero_is_shown_and_ones_that_could_only_be_ones_get_a_third_mask():
    table = mask([[0, 1, 1, 30], [20, 30, 40, 50]])
    assert table.shown(0, 0) == 0
    hidden = [c for c in range(4) if (0, c) in table.masked]
    assert len(hidden) >= 3


def test_the_attacker_recovers_cells_when_there_is_no_secondary_suppression():
    """The attack works on a naive mask: the test above is not vacuous."""
    table = mask([[12, 3, 40], [20, 30, 50]])
    table.masked = set(table.primary)
    assert recover_by_difference(table) == {(0, 1): 3}
