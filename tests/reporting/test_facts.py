"""The facts the dashboards read (``reporting.facts``): one row per accompaniment, always equal
to what the live data say (the tests try to make them drift), and the version 2 indicators
computed over them give every figure and breakdown of version 1, alone or in one query per
family."""

import datetime
import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.accompaniment.factories import AccompanimentFactory, programme
from tests.factories import StructureFactory, UserFactory
from tests.opportunities.factories import IntroductionFactory
from tests.people.factories import follow
from tests.reporting import factories as f
from tisserand.accompaniment.models import Accompaniment, SixMonthFollowUp
from tisserand.core.actor import Actor
from tisserand.opportunities.models import Introduction
from tisserand.people.merging import merge_persons
from tisserand.people.models import Person, QpvStatusChange
from tisserand.reporting import dashboards, equality, facts, indicators
from tisserand.reporting.indicators import Period, Scope, Territory
from tisserand.reporting.indicators_accompaniment_v2 import ACCOMPANIMENTS
from tisserand.reporting.indicators_opportunities_v2 import INTRODUCTIONS
from tisserand.reporting.models import AccompanimentFact, IntroductionFact
from tisserand.structures.models import Membership

V2 = sorted(
    item.code for item in indicators.registered if item.version == 2 and item.kind != "rate"
)
EXIT_TYPES = ["cdi", "cdd_long", "qualifying_training", "moved", "abandoned", "cdd_short"]


def _territory(rng, structures):
    """A varied territory: persons of two structures, QPV residents and not, QPV statuses
    established before and after the entry, an attestation expired at entry, several
    accompaniments of one person, exits of every kind (one the day of the entry), follow-ups
    in and out of their window, training actions (one abandoned), ages around 26 and 50."""
    rows = []
    for n in range(36):
        structure = structures[n % 2]
        entry = datetime.date(2024, 10, 1) + datetime.timedelta(days=rng.randint(0, 420))
        birth = entry.replace(year=entry.year - rng.choice([18, 25, 26, 30, 49, 50, 61]))
        if n % 9 == 0:
            birth += datetime.timedelta(days=1)  # the birthday is tomorrow: one year less
        exit_date = exit_type = None
        if n % 3:
            exit_date = entry + datetime.timedelta(days=0 if n % 11 == 0 else rng.randint(1, 300))
            exit_type = rng.choice(EXIT_TYPES)
        row = f.accompaniment(
            structure,
            entry=entry,
            exit_date=exit_date,
            exit_type=exit_type or "",
            qpv=rng.choice(["in_qpv", "not_in_qpv", "unknown"]),
            gender=rng.choice(["female", "male", "unspecified"]),
            birth=birth,
            code=rng.choice(["reinforced", "plie"]),
        )
        rows.append(row)
        _history(rng, row, n)
        if exit_date and n % 2:
            f.follow_up(row, situation=rng.choice(["cdi", "moved"]), outside_window=n % 5 == 0)
        if n % 4 == 0:
            action = f.training(row, start=entry + datetime.timedelta(days=20))
            if n % 8 == 0:
                action.status = "abandoned"
                action.save()
    _introductions(rng, rows)
    # The same person accompanied again elsewhere, with an entry on another date.
    for row in rows[:6]:
        AccompanimentFactory(
            person=row.person,
            structure=structures[1] if row.structure == structures[0] else structures[0],
            programme=programme("plie" if row.programme.code == "reinforced" else "reinforced"),
            entry_date=row.entry_date + datetime.timedelta(days=40),
            referent=UserFactory(),
        )
    return rows


def _introductions(rng, rows):
    """Introductions of some of these persons, on days around their QPV history's steps, of
    every outcome and contract."""
    for n, row in enumerate(rows[::2]):
        day = row.entry_date + datetime.timedelta(days=rng.randint(-60, 120))
        IntroductionFactory(
            person=row.person,
            structure=row.structure,
            offer__contract_type=rng.choice(["CDI", "CDD", "MIS"]),
            status=rng.choice(["sent", "hired", "interview", "hired"]),
            created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 30))),
        )
        if n % 5 == 0:
            IntroductionFactory(person=row.person, structure=row.structure, status="hired")


def _history(rng, row, n):
    person = row.person
    if n % 4 == 1:
        QpvStatusChange.objects.create(
            person=person,
            status="in_qpv",
            qpv_code="QN05999A",
            determined_on=row.entry_date - datetime.timedelta(days=rng.randint(1, 200)),
        )
    elif n % 4 == 2:
        QpvStatusChange.objects.create(
            person=person,
            status="not_in_qpv",
            determined_on=row.entry_date + datetime.timedelta(days=10),
        )
    elif n % 7 == 3:
        person.qpv_precision = "attestation"
        person.qpv_valid_until = row.entry_date - datetime.timedelta(days=1)
        person.save()


@pytest.fixture
def structures():
    return [StructureFactory(kind="maison_emploi"), StructureFactory(kind="plie")]


@pytest.fixture
def territory(structures):
    return _territory(random.Random(2026), structures)


PERIODS = [
    Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    Period(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)),
    Period(datetime.date(2025, 3, 15), datetime.date(2025, 5, 20)),
]


def _scopes(structures):
    return [
        Scope(),
        Scope(structure_ids=(structures[0].pk,)),
        Scope(programme_ids=(programme("plie").pk,)),
        Scope(territory=Territory("qpv", "QN05999A")),
    ]


def test_every_accompaniment_has_its_facts_after_ordinary_writes(territory):
    assert AccompanimentFact.objects.count() == Accompaniment.objects.count() > 36
    assert IntroductionFact.objects.count() == Introduction.objects.count() > 18
    assert facts.drift() == []


def test_version_2_gives_every_figure_and_breakdown_of_version_1(territory, structures):
    assert len(V2) == 15
    for scope in _scopes(structures):
        for period in PERIODS:
            for code in V2:
                first, second = indicators.get(code, 1), indicators.get(code, 2)
                assert second.compute(scope, period) == first.compute(scope, period), code
                for by in (("qpv", "sex"), ("qpv", "age_band"), ("quarter",), ("qpv",)):
                    if all(first.supports(d) and second.supports(d) for d in by):
                        assert second.breakdown(scope, period, by) == first.breakdown(
                            scope, period, by
                        ), (code, by)


def test_the_figures_are_not_all_zero(territory):
    """The comparison above compares something: every dimension value occurs."""
    figures = indicators.compute_many([indicators.get(code) for code in V2], Scope(), PERIODS[1])
    assert all(figures[(code, 2)] for code in V2 if code != "accompanied_women")
    by_qpv = indicators.get("accompanied").breakdown(Scope(), PERIODS[1], ("qpv",))
    assert {key for (key,) in by_qpv} == {"in_qpv", "not_in_qpv", "unknown"}


def test_a_family_is_computed_in_two_queries_with_the_figures_of_its_members_alone(
    territory, structures
):
    members = [item for item in indicators.current() if item.family is ACCOMPANIMENTS]
    assert len(members) == 13
    members += [item for item in indicators.current() if item.family is INTRODUCTIONS]
    for scope in _scopes(structures):
        with CaptureQueriesContext(connection) as queries:
            together = indicators.compute_many(members, scope, PERIODS[0])
        # The rows of persons accompanied once, then the others; the introductions.
        assert len(queries) == 3
        assert together == {item.key: item.compute(scope, PERIODS[0]) for item in members}
        for by in (("qpv", "sex"), ("qpv", "age_band")):
            with CaptureQueriesContext(connection) as queries:
                grouped = indicators.breakdown_many(members, scope, PERIODS[1], by)
            assert len(queries) == 3
            assert grouped == {item.key: item.breakdown(scope, PERIODS[1], by) for item in members}
        dated = [item for item in members if item.supports("quarter")]
        by_quarter = indicators.breakdown_many(dated, scope, PERIODS[1], ("quarter",))
        assert by_quarter == {
            item.key: item.breakdown(scope, PERIODS[1], ("quarter",)) for item in dated
        }


def test_the_pages_query_count_does_not_grow_with_the_accompaniments(structures):
    f.many(structures[0], 3, exit_date=datetime.date(2025, 6, 1), exit_type="cdi")
    director = Membership.objects.create(
        user=UserFactory(), structure=structures[0], role="director"
    )

    def count():
        with CaptureQueriesContext(connection) as queries:
            dashboards.key_figures(director, Scope(), PERIODS[0])
            dashboards.quarterly(Scope(), PERIODS[0])
            equality.view(Scope(), PERIODS[0])
        return len(queries)

    before = count()
    _territory(random.Random(7), structures)
    assert count() == before


# --- Trying to make them drift ----------------------------------------------------------------


def _fact(row):
    return AccompanimentFact.objects.get(accompaniment=row)


def test_a_change_of_the_person_reaches_the_facts(structures):
    row = f.accompaniment(structures[0], gender="female", birth=datetime.date(2001, 1, 1))
    assert _fact(row).age_band_at_entry == "under_26"
    person = row.person
    person.birth_date, person.gender = datetime.date(1960, 1, 1), "male"
    person.save()
    assert (_fact(row).age_band_at_entry, _fact(row).gender) == ("50_plus", "male")
    QpvStatusChange.objects.create(
        person=person, status="in_qpv", determined_on=row.entry_date - datetime.timedelta(days=3)
    )
    assert _fact(row).qpv_at_entry == "in_qpv"
    QpvStatusChange.objects.filter(person=person).delete()
    assert _fact(row).qpv_at_entry == "not_in_qpv"
    assert facts.drift() == []


def test_an_exit_and_its_follow_up_reach_the_facts(structures):
    row = f.accompaniment(structures[0])
    row.status, row.exit_date, row.exit_type = "closed", datetime.date(2025, 5, 2), "cdi"
    row.save(update_fields=["status", "exit_date", "exit_type"])
    fact = _fact(row)
    assert (fact.is_closed, fact.exit_type, fact.days_in_accompaniment) == (True, "cdi", 88)
    follow_up = f.follow_up(row, situation="cdi")
    assert _fact(row).followed_up_on == follow_up.contacted_on
    follow_up.outside_window = True
    follow_up.save()
    assert _fact(row).followed_up_on is None
    SixMonthFollowUp.objects.filter(pk=follow_up.pk).delete()
    assert facts.drift() == []


def test_a_write_that_rolls_back_leaves_the_facts_as_they_were(structures):
    row = f.accompaniment(structures[0], gender="female")
    with pytest.raises(RuntimeError), transaction.atomic():
        person = row.person
        person.gender = "male"
        person.save()
        assert _fact(row).gender == "male"
        raise RuntimeError
    assert _fact(row).gender == "female"
    assert facts.drift() == []


def test_a_merge_takes_the_facts_to_the_survivor(structures):
    house = structures[0]
    referent = Membership.objects.create(user=UserFactory(), structure=house, role="referent")
    kept = f.accompaniment(house)
    moved = f.accompaniment(
        house, entry=datetime.date(2025, 6, 1), code="plie", first_name=kept.person.first_name
    )
    follow(kept.person, referent)
    follow(moved.person, referent)
    merge_persons(kept.person, moved.person, actor=Actor.of(referent))
    assert _fact(moved).person_id == kept.person_id
    assert facts.drift() == []
    figure = indicators.get("accompanied").compute(Scope(), PERIODS[0])
    assert figure == indicators.get("accompanied", 1).compute(Scope(), PERIODS[0]) == 1


def test_a_bulk_write_that_bypasses_the_signals_is_found_and_corrected(structures):
    rows = f.many(structures[0], 3, gender="female")
    Person.objects.filter(pk=rows[0].person_id).update(gender="male")
    Accompaniment.objects.filter(pk=rows[1].pk).update(entry_date=datetime.date(2025, 1, 5))
    AccompanimentFact.objects.filter(accompaniment=rows[2]).delete()
    assert facts.drift() == [("accompaniment", row.pk) for row in sorted(rows, key=lambda r: r.pk)]
    assert facts.correct() == 3
    assert facts.drift() == []
    assert facts.correct() == 0


def test_rebuild_writes_every_fact_again(structures):
    rows = f.many(structures[0], 4)
    AccompanimentFact.objects.all().delete()
    assert facts.rebuild() == 4  # accompaniments and introductions (none)
    assert AccompanimentFact.objects.count() == len(rows)
    assert facts.drift() == []


def test_an_introduction_and_its_person_reach_their_facts(structures):
    row = f.accompaniment(structures[0], qpv="not_in_qpv")
    introduction = IntroductionFactory(person=row.person, structure=structures[0])
    fact = IntroductionFact.objects.get(introduction=introduction)
    assert (fact.is_hired, fact.qpv_on_the_day) == (False, "not_in_qpv")
    introduction.status = "hired"
    introduction.save(update_fields=["status"])
    QpvStatusChange.objects.create(
        person=row.person, status="in_qpv", determined_on=datetime.date(2020, 1, 1)
    )
    fact = IntroductionFact.objects.get(introduction=introduction)
    assert (fact.is_hired, fact.qpv_on_the_day) == (True, "in_qpv")
    Introduction.objects.filter(pk=introduction.pk).update(status="interview")
    assert facts.drift() == [("introduction", introduction.pk)]
    assert facts.correct() == 1 and facts.drift() == []


def test_a_save_of_other_fields_refreshes_nothing(structures):
    row = f.accompaniment(structures[0])
    person = row.person
    person.first_name = "Autre"
    with CaptureQueriesContext(connection) as queries:
        person.save(update_fields=["first_name"])
    assert len(queries) == 1


def test_the_nightly_command_corrects_and_says_how_many(structures):
    from io import StringIO

    from django.core.management import call_command

    rows = f.many(structures[0], 2)
    Accompaniment.objects.filter(pk=rows[0].pk).update(entry_date=datetime.date(2025, 1, 2))
    out = StringIO()
    call_command("refresh_reporting_facts", stdout=out)
    assert "1 ligne(s) corrigée(s)" in out.getvalue()
    assert facts.drift() == []
    call_command("refresh_reporting_facts", "--tout", stdout=out)
    assert "reconstruits : 2 accompagnements et mises en relation" in out.getvalue()


def test_an_anonymisation_in_bulk_is_followed_by_the_facts(structures):
    from tisserand.people import retention

    row = f.accompaniment(
        structures[0],
        entry=datetime.date(2025, 3, 1),
        birth=datetime.date(1999, 6, 1),
        exit_date=datetime.date(2025, 4, 1),
        exit_type="cdi",
    )
    assert _fact(row).age_at_entry == 25
    retention.process(Person.objects.filter(pk=row.person_id), datetime.date(2028, 1, 1))
    # The birth date cut to the 1st of January: 26 on the entry date, as the record now says.
    assert Person.objects.get(pk=row.person_id).birth_date == datetime.date(1999, 1, 1)
    assert _fact(row).age_at_entry == 26
    assert facts.drift() == []
