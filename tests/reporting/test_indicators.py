"""Each indicator's definition, from both sides: what counts and what does not."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import StructureFactory
from tests.reporting import factories as f
from tisserand.people.models import QpvStatusChange
from tisserand.reporting import indicators
from tisserand.reporting.indicators import Period, Scope, Territory

D = datetime.date


@pytest.fixture
def house():
    return StructureFactory(kind="maison_emploi")


def value(code, scope=None, period=f.YEAR):
    return indicators.get(code).compute(scope or Scope(), period)


def test_accompanied_counts_paths_under_way_in_the_period_once_per_person(house):
    row = f.accompaniment(house, entry=D(2024, 6, 1))
    f.AccompanimentFactory(
        person=row.person, structure=house, entry_date=D(2025, 3, 1), programme=f.programme("plie")
    )
    f.accompaniment(house, entry=D(2024, 1, 1), exit_date=D(2024, 12, 31), exit_type="cdi")
    f.accompaniment(house, entry=D(2026, 1, 5))
    assert value("accompanied") == 1


def test_the_characteristics_are_those_at_entry(house):
    f.accompaniment(house, birth=D(1999, 2, 4), entry=D(2025, 2, 3))  # 25 the day before
    f.accompaniment(house, birth=D(1999, 2, 3), entry=D(2025, 2, 3))  # 26 that very day
    f.accompaniment(house, birth=D(1975, 2, 3), entry=D(2025, 2, 3), gender="male")  # 50
    f.accompaniment(house, birth=D(1975, 2, 4), entry=D(2025, 2, 3))  # 49
    assert value("accompanied_under_26") == 1
    assert value("accompanied_over_50") == 1
    assert value("accompanied_women") == 3


def test_qpv_at_entry_reads_the_history_and_never_counts_unknown_as_outside(house):
    inside = f.accompaniment(house, qpv="in_qpv")
    moved_in_later = f.accompaniment(house, qpv="in_qpv", entry=D(2025, 2, 3))
    QpvStatusChange.objects.create(
        person=moved_in_later.person,
        status="not_in_qpv",
        determined_on=D(2024, 5, 1),
    )
    QpvStatusChange.objects.create(
        person=moved_in_later.person,
        status="in_qpv",
        determined_on=D(2025, 6, 1),
    )
    f.accompaniment(house, qpv="unknown")
    f.accompaniment(house, qpv="not_in_qpv")
    assert value("accompanied_qpv") == 1
    split = indicators.get("accompanied").breakdown(Scope(), f.YEAR, ("qpv",))
    assert split == {("in_qpv",): 1, ("not_in_qpv",): 2, ("unknown",): 1}
    assert inside.person.qpv_status == "in_qpv"


def test_an_expired_attestation_at_entry_is_unknown(house):
    row = f.accompaniment(house, qpv="in_qpv")
    row.person.qpv_precision, row.person.qpv_valid_until = "attestation", D(2024, 12, 31)
    row.person.save()
    assert indicators.get("accompanied").breakdown(Scope(), f.YEAR, ("qpv",)) == {("unknown",): 1}


def test_positive_exits_follow_the_typology_flag_and_the_rate(house):
    for exit_type in ("cdi", "qualifying_training", "siae_hire"):
        f.accompaniment(house, exit_date=D(2025, 6, 1), exit_type=exit_type)
    for exit_type in ("cdd_under_6_months", "job_seeker", "lost_contact"):
        f.accompaniment(house, exit_date=D(2025, 6, 1), exit_type=exit_type)
    f.accompaniment(house, entry=D(2024, 2, 1), exit_date=D(2024, 6, 1), exit_type="cdi")
    assert value("exits") == 6
    assert value("positive_exits") == 3
    assert value("positive_exit_rate") == 50.0


def test_employment_six_months_after_only_within_the_window(house):
    counted = f.accompaniment(house, entry=D(2024, 1, 8), exit_date=D(2024, 11, 4), exit_type="cdi")
    f.follow_up(counted, situation="cdd_under_6_months")
    outside = f.accompaniment(house, entry=D(2024, 1, 8), exit_date=D(2024, 11, 4), exit_type="cdi")
    f.follow_up(outside, situation="cdi", outside_window=True)
    seeker = f.accompaniment(house, entry=D(2024, 1, 8), exit_date=D(2024, 11, 4), exit_type="cdi")
    f.follow_up(seeker, situation="job_seeker")
    assert value("employed_6_months") == 1
    assert value("followed_up_6_months") == 2
    assert value("employed_6_months_rate") == 50.0


def test_training_entries_count_started_training_actions_not_abandoned(house):
    f.training(f.accompaniment(house))
    abandoned = f.training(f.accompaniment(house))
    abandoned.status = "abandoned"
    abandoned.save()
    f.training(f.accompaniment(house), start=D(2026, 1, 10))
    assert value("training_entries") == 1


def test_the_scope_restricts_structures_programmes_and_territory(house):
    other = StructureFactory()
    f.accompaniment(house)
    f.accompaniment(other)
    f.accompaniment(house, code="plie", qpv="in_qpv")
    plie = f.programme("plie").pk
    assert value("accompanied", Scope(structure_ids=(house.pk,))) == 2
    assert value("accompanied", Scope(programme_ids=(plie,))) == 1
    assert value("accompanied", Scope(territory=Territory("qpv", "QN05999A"))) == 1


def test_breakdowns_are_one_query_whatever_the_rows(house):
    f.many(house, 3, exit_date=D(2025, 5, 5), exit_type="cdi")
    indicator = indicators.get("positive_exits")
    with CaptureQueriesContext(connection) as queries:
        split = indicator.breakdown(Scope(), f.YEAR, ("qpv", "sex", "age_band", "quarter"))
    assert len(queries) == 1
    assert split == {("not_in_qpv", "female", "26_49", 2025 * 4 + 1): 3}


def test_a_breakdown_the_indicator_does_not_support_is_refused():
    with pytest.raises(LookupError):
        indicators.get("accompanied").breakdown(Scope(), f.YEAR, ("quarter",))


def test_periods_and_quarters():
    period = Period(D(2025, 2, 10), D(2025, 8, 1))
    assert [indicators.quarter_label(k) for k in period.quarters()] == [
        "T1 2025",
        "T2 2025",
        "T3 2025",
    ]
    assert Period.month(2025, 12) == Period(D(2025, 12, 1), D(2025, 12, 31))
    with pytest.raises(ValueError):
        Period(D(2025, 2, 1), D(2025, 1, 1))
