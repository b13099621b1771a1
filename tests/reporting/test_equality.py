"""The equal-opportunity view: QPV vs the rest, « indéterminé » apart, masked so that the
totals give nothing away."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import StructureFactory
from tests.reporting import factories as f
from tisserand.reporting import equality
from tisserand.reporting.indicators import Scope
from tisserand.reporting.masking import recover_by_difference

D = datetime.date


@pytest.fixture
def house():
    structure = StructureFactory(kind="maison_emploi")
    f.many(structure, 8, qpv="in_qpv", exit_date=D(2025, 5, 5), exit_type="cdi")
    f.many(structure, 4, qpv="in_qpv", exit_date=D(2025, 5, 5), exit_type="job_seeker")
    f.many(structure, 9, qpv="not_in_qpv", exit_date=D(2025, 5, 5), exit_type="cdi")
    f.many(structure, 1, qpv="not_in_qpv", exit_date=D(2025, 5, 5), exit_type="job_seeker")
    f.many(structure, 6, qpv="unknown", exit_date=D(2025, 5, 5), exit_type="cdi")
    f.many(structure, 6, qpv="not_in_qpv", gender="male")
    return structure


def test_counts_by_sex_keep_unknown_apart(house):
    table, masked = equality.count_table("accompanied", "sex", Scope(), f.YEAR)
    women = table.rows[0]
    assert women[0] == "Femme"
    # 6 of unknown status: their own column, never counted « hors QPV ».
    assert women[1:] == [12, 10, 6, 28]
    assert table.rows[-1] == ["Ensemble", 12, 16, 6, 34]


def test_a_small_cell_is_masked_with_what_would_give_it_away(house):
    f.many(house, 2, qpv="unknown", gender="male")
    table, masked = equality.count_table("accompanied", "sex", Scope(), f.YEAR)
    men = table.rows[1]
    assert men[3] == "masqué"
    assert sum(1 for value in men[1:] if value == "masqué") >= 2
    assert recover_by_difference(masked) == {}
    assert all(not (isinstance(v, int) and 0 < v < 5) for row in table.rows for v in row)


def test_rates_show_their_counts_and_the_gap(house):
    table, gaps = equality.rate_table("positive_exit_rate", "sex", Scope(), f.YEAR)
    women = table.rows[0]
    assert women[1] == "66.7 % (8 / 12)"
    assert women[2] == "90.0 % (9 / 10)"
    assert women[-1] == "-23.3 pts"
    label, gap, rates = gaps[0]
    assert gap == -23.3


def test_the_quarterly_evolution_is_masked_where_a_count_is_small(house):
    table, gaps = equality.rate_table("positive_exit_rate", "quarter", Scope(), f.YEAR)
    assert [row[0] for row in table.rows] == [
        "T1 2025",
        "T2 2025",
        "T3 2025",
        "T4 2025",
        "Ensemble",
    ]
    assert table.rows[0][1] == "—"  # no exit in Q1: no rate, not « 0 % »


def test_the_page_queries_do_not_grow_with_the_data(client_for, make_member, house):
    client = client_for(make_member("director", house))
    url = "/pilotage/egalite-des-chances/?debut=2025-01-01&fin=2025-12-31"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    f.many(house, 15, qpv="in_qpv", exit_date=D(2025, 8, 5), exit_type="cdi")
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


def test_the_dashboard_queries_do_not_grow_with_the_data(client_for, make_member, house):
    client = client_for(make_member("director", house))
    url = "/pilotage/?debut=2025-01-01&fin=2025-12-31"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    f.many(house, 15, exit_date=D(2025, 8, 5), exit_type="cdi")
    for row in f.many(house, 5):
        f.training(row)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


def test_days_to_a_job_by_sex_with_its_count_and_gap(house):
    table = equality.mean_table("days_to_job", "sex", Scope(), f.YEAR)
    women = table.rows[0]
    days = (D(2025, 5, 5) - f.ENTRY).days
    assert women[1] == f"{days} jours (n = 8)"
    assert women[2] == f"{days} jours (n = 9)"
    assert women[-1] == "+0 jours"
    assert table.rows[1][1] == "—"
