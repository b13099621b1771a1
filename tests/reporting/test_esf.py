"""The ESF+ aggregated tables: by gender, masked row by row (a small count and what would give
it away), the participant rule applied."""

import datetime

from tests.factories import StructureFactory
from tests.reporting import factories as f
from tisserand.reporting import esf
from tisserand.reporting.indicators import Scope

D = datetime.date


def test_entry_indicators_by_gender_are_masked_with_their_secondary_cell():
    house = StructureFactory(kind="maison_emploi")
    f.many(house, 7, gender="female")
    f.many(house, 2, gender="male")
    f.accompaniment(house, gender="male", exit_date=f.ENTRY, exit_type="other_reason")
    entry = esf.tables(Scope(), f.YEAR)[0]
    participants = entry.rows[0]
    assert participants[0] == "Participants"
    assert participants[1:] == ["masqué", "masqué", 0, 9]  # the one-day man is no participant
    unemployed = entry.rows[1]
    assert unemployed[-1] == 9
    assert all(not (isinstance(v, int) and 0 < v < 5) for row in entry.rows for v in row)


def test_six_month_results_leave_out_follow_ups_outside_their_window():
    house = StructureFactory(kind="maison_emploi")
    for outside in (False,) * 5 + (True,) * 3:
        row = f.accompaniment(house, exit_date=D(2025, 3, 3), exit_type="cdi")
        follow = f.follow_up(row, outside_window=outside)
        row.esf_records.create(
            stage="six_months", captured_on=follow.contacted_on, is_employed=True
        )
    six = esf.tables(Scope(), f.YEAR)[2]
    assert six.rows[0][-1] == 5
