"""Benchmark of the pilotage pages (dashboards computed in SQL), at scale.

    .venv/bin/python bench/reporting_dashboards.py [--persons 100000] [--events 2000000]
        [--structures 20] [--repeats 10] [--module-rows 50000] [--without-appointments]
        [--keep var/bench_reporting.sqlite3]

Builds the data of ``bench/accompaniment_pages.py`` (structures, persons, accompaniments — a
fifth exited, half of those followed up —, appointments, ``--events`` timeline events), adds
the ESF+ entry records, a training action for a third of the persons, a funder and a
convention with three objectives, and ``--module-rows`` of each other module (event
attendances, clause declarations, referrals, job offers, introductions:
``bench/reporting_modules.py``); then prints the median and p95 server-side time and the
query count of each pilotage page. SQLite by default, DATABASE_URL when set (a scratch
database).

Figures (PostgreSQL 15, 2 cores, quiet machine, 2026-12-01; median of 10, of 3 at 1,000,000;
50,000 rows of each other module; at 1,000,000 without the appointments, which no dashboard
reads):

    page                                    10,000    100,000    1,000,000 persons
    dashboard, network (3 years)            171 ms     246 ms     1,401 ms
    dashboard, one structure                 59 ms      77 ms       417 ms
    equal opportunity, network               92 ms     202 ms     1,939 ms
    ESF+ tables, network                     40 ms     133 ms     1,261 ms
    convention and its objectives            22 ms      34 ms       125 ms
    dashboard, funder (its convention)      183 ms     258 ms       903 ms
    equal opportunity, funder                86 ms     176 ms     1,140 ms
    non-relocatable jobs, network            23 ms      23 ms        23 ms
    observatory                              14 ms      14 ms        14 ms
    dashboard export XLSX, network          167 ms     243 ms     1,266 ms

The query count of each page is the same at every size. Before the facts (the accompaniment's
indicators of version 1: a QPV history subquery and an age computed per row, one query per
indicator), the same 100,000 persons without the other modules took 1,097 ms (network) and
1,960 ms (equal opportunity). Growth is at most linear in the accompaniments of the perimeter
(each figure scans the facts of the period once); with PostgreSQL's default settings the
figures are the same (229 and 193 ms at 100,000). Beyond about 150,000 accompaniments in one
perimeter the network-wide pages pass 300 ms: there monthly counts per structure ×
programme × QPV × sex × age band would take over for the counts that need no DISTINCT, the
distinct persons still read from the facts.
"""

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import accompaniment_pages as base  # noqa: E402
import reporting_modules  # noqa: E402

# The accompaniment bench's heavy person (plan actions written without a partner) is refused
# by the plan's partner constraint; the dashboards do not need it.
base.make_heavy_history = lambda *args: None


def make_reporting_rows(rng):
    from tisserand.accompaniment.models import Accompaniment, EsfRecord, PlanAction
    from tisserand.accompaniment.models import Objective as PlanObjective

    accompaniments = list(Accompaniment.objects.only("pk", "entry_date"))
    base.bulk(
        EsfRecord,
        [
            EsfRecord(
                accompaniment_id=a.pk,
                stage="entry",
                captured_on=a.entry_date,
                gender=rng.choice(["female", "male"]),
                age_band=rng.choice(["18_29", "30_54"]),
                employment_status=rng.choice(["unemployed", "long_term_unemployed"]),
                isced_group=rng.choice(["isced_0_2", "isced_3_4"]),
                has_disability=rng.random() < 0.1,
            )
            for a in accompaniments
        ],
    )
    chosen = [a for a in accompaniments if rng.random() < 0.33]
    objectives = base.bulk(
        PlanObjective,
        [PlanObjective(accompaniment_id=a.pk, theme="training", label="Se former") for a in chosen],
    )
    base.bulk(
        PlanAction,
        [
            PlanAction(
                objective=o,
                action_type="training",
                label="Formation",
                partner_name="AFPA",
                start_date=a.entry_date + timedelta(days=rng.randint(10, 200)),
            )
            for o, a in zip(objectives, chosen, strict=True)
        ],
    )


def make_convention():
    from django.contrib.auth import get_user_model

    from tisserand.reporting import indicators
    from tisserand.reporting.models import Convention, Objective, Target
    from tisserand.structures.demo import demo_siret
    from tisserand.structures.models import Membership, Structure

    today = date.today()
    funder = Structure.objects.create(
        name="Financeur du banc",
        kind="funder",
        siret=demo_siret(9900),
        address_line="1 rue",
        postal_code="59000",
        commune_name="Lille",
        commune_insee="59350",
    )
    user = get_user_model().objects.create(email="financeur@banc.test")
    membership = Membership.objects.create(user=user, structure=funder, role="funder")
    convention = Convention.objects.create(
        name="Convention du banc",
        funder_kind="metropolis",
        funder_structure=funder,
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
    )
    convention.structures.set(Structure.objects.exclude(kind="funder")[:10])
    for code in ("accompanied", "accompanied_qpv", "positive_exit_rate"):
        indicator = indicators.get(code)
        objective = Objective.objects.create(
            convention=convention,
            indicator_code=code,
            indicator_version=indicator.version,
            definition_fingerprint=indicators.fingerprint(indicator),
        )
        Target.objects.create(
            objective=objective,
            starts_on=convention.starts_on,
            ends_on=convention.ends_on,
            value=50,
        )
    return convention, membership


def run_measures(repeats):
    from tisserand.reporting.models import Convention
    from tisserand.structures.models import Membership, Structure

    director = Membership.objects.filter(role="director").order_by("pk").first()
    funder = Membership.objects.get(role="funder")
    convention = Convention.objects.get()
    structure = Structure.objects.exclude(kind="funder").order_by("pk")[1]
    year = date.today().year
    period = f"debut={year - 2}-01-01&fin={year}-12-31"
    as_director, as_funder = base.client_for(director), base.client_for(funder)
    base.measure(
        "dashboard, network (house's director, 3 years)",
        as_director,
        [f"/pilotage/?perimetre=reseau&{period}"],
        repeats,
    )
    base.measure(
        "dashboard, one structure",
        as_director,
        [f"/pilotage/?perimetre=structure:{structure.public_id}&{period}"],
        repeats,
    )
    base.measure(
        "equal opportunity, network",
        as_director,
        [f"/pilotage/egalite-des-chances/?perimetre=reseau&{period}"],
        repeats,
    )
    base.measure(
        "ESF+ tables, network", as_director, [f"/pilotage/fse/?perimetre=reseau&{period}"], repeats
    )
    base.measure(
        "convention and its objectives",
        as_director,
        [f"/pilotage/conventions/{convention.public_id}/"],
        repeats,
    )
    base.measure("dashboard, funder (its convention)", as_funder, [f"/pilotage/?{period}"], repeats)
    base.measure(
        "equal opportunity, funder (its convention)",
        as_funder,
        [f"/pilotage/egalite-des-chances/?{period}"],
        repeats,
    )
    base.measure(
        "non-relocatable jobs, network",
        as_director,
        [f"/pilotage/emplois-non-delocalisables/?perimetre=reseau&{period}"],
        repeats,
    )
    base.measure("observatory (default territory)", as_director, ["/observatoire/"], repeats)
    base.measure(
        "dashboard export XLSX, network",
        as_director,
        [f"/pilotage/export.xlsx?perimetre=reseau&{period}"],
        repeats,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=150_000)
    parser.add_argument("--structures", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument(
        "--without-appointments",
        action="store_true",
        help="skip the appointments (the dashboards do not read them): for 1,000,000 persons",
    )
    parser.add_argument(
        "--module-rows",
        type=int,
        default=50_000,
        help="rows of each other module (attendances, clause declarations, referrals, "
        "offers, introductions), as in bench/reporting_modules.py",
    )
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    if args.without_appointments:
        base.make_appointments = lambda *args: []
    base.setup_django(args.keep)
    from django.db import transaction

    from tisserand.accompaniment import initial_data
    from tisserand.accompaniment.models import Programme

    if not Programme.objects.exists():
        from django.apps import apps

        initial_data.create_missing(apps)
    from tisserand.people.models import Person

    if not Person.objects.exists():
        base.generate(args)
        started = time.perf_counter()
        with transaction.atomic():
            make_reporting_rows(random.Random(2026))
            make_convention()
        from tisserand.reporting import facts

        # Written in bulk, without the signals that keep the facts: rebuilt once.
        facts.rebuild()
        base.analyze()
        print(f"reporting rows in {time.perf_counter() - started:.0f} s")
    make_module_rows(args.module_rows)
    run_measures(args.repeats)


def make_module_rows(rows):
    """The other modules' volumes, once (an existing database keeps its rows)."""
    from django.db import transaction

    from tisserand.events.models import Registration
    from tisserand.people.models import Person
    from tisserand.structures.models import Membership

    if not rows or Registration.objects.exists():
        return
    started = time.perf_counter()
    director = Membership.objects.filter(role="director").order_by("pk").first()
    persons = list(Person.objects.order_by("pk").only("pk"))
    with transaction.atomic():
        reporting_modules.generate_modules(random.Random(7), persons, director, rows)
    from tisserand.reporting import facts

    facts.rebuild()  # the introductions were written in bulk
    base.analyze()
    print(f"{rows} rows of each other module in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
