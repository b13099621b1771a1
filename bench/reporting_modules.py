"""Benchmark of the indicators of events, clauses, referrals, opportunities and needs, at scale.

    .venv/bin/python bench/reporting_modules.py [--persons 5000] [--rows 50000] [--repeats 5]

Builds structures and persons (``bench/accompaniment_pages.py``), then ``--rows`` of each:
event attendances over 200 sessions, clause declarations over 2,000 participants, referrals,
introductions, job offers; prints, for every indicator of these modules, the median time of its
figure on the network and of its breakdown by quarter (one query each, whatever the rows).
SQLite by default, DATABASE_URL when set (a scratch database).

Figures (2 shared cores, 2026-12-01, SQLite, 5,000 persons, 50,000 rows each, median of 3):

    indicator                  figure   by quarter
    event_attendances          147 ms     294 ms
    event_participants_esf     353 ms     506 ms   (2,418 ms with a correlated subquery)
    referrals_sent             134 ms     287 ms
    clause_hours                 9 ms      17 ms   (≈ 45,000 declarations)
    clause_participants         10 ms      18 ms
    offers_published           175 ms        —
    introductions              181 ms     377 ms
    introductions_hire_rate    349 ms        —     (two aggregates)

Each figure is one aggregate over the period's rows: linear in the rows scanned, the query
count does not grow. The ESF+ rule is an uncorrelated ``IN`` (the persons present on two
distinct days, computed once), not a subquery per row.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import accompaniment_pages as base  # noqa: E402


def generate(rng, persons_count, rows):
    referents, directors = base.make_structures(5, 4)
    persons, _ = base.make_persons(rng, referents, persons_count)
    generate_modules(rng, persons, directors[0], rows)


def generate_modules(rng, persons, director, rows):
    """``rows`` event attendances, clause declarations, referrals, job offers and
    introductions of ``persons``, organised by the structure of ``director``."""
    from django.utils import timezone

    from tests.clauses.factories import LotFactory, OperationFactory
    from tests.events.factories import EventFactory, SessionFactory
    from tests.referrals.factories import make_service
    from tisserand.clauses.models import Declaration, Participant
    from tisserand.events.models import Registration
    from tisserand.opportunities.models import Introduction, JobOffer
    from tisserand.referrals.models import Referral

    structure = director.structure
    year = date.today().year

    def moment(n):
        day = date(year - 1, 1, 1) + timedelta(days=n % 700)
        return timezone.make_aware(datetime.combine(day, dtime(10)))

    event = EventFactory(structure=structure, starts_at=moment(0))
    sessions = [SessionFactory(event=event, starts_at=moment(3 * n)) for n in range(200)]
    pairs = {(n % 200, rng.randrange(len(persons))) for n in range(rows)}
    base.bulk(
        Registration,
        [
            Registration(
                session=sessions[session],
                person=persons[person],
                status=rng.choice(["present", "present", "absent"]),
            )
            for session, person in sorted(pairs)
        ],
    )
    lot = LotFactory(contract__operation=OperationFactory(structure=structure))
    participants = base.bulk(
        Participant,
        [
            Participant(
                structure=structure,
                first_name="P",
                last_name=str(n),
                birth_date=date(1990, 1, 1),
                modality="cdd",
                starts_on=date(year - 1, 1, 1) + timedelta(days=n % 600),
                is_eligible=rng.random() < 0.9,
                qpv_at_start=rng.choice(["in_qpv", "not_in_qpv", "unknown"]),
            )
            for n in range(2000)
        ],
    )
    months = [date(year - 1 + m // 12, m % 12 + 1, 1) for m in range(24)]
    seen = set()
    declarations = []
    for _ in range(rows):
        key = (rng.randrange(len(participants)), rng.randrange(24))
        if key in seen:
            continue
        seen.add(key)
        declarations.append(
            Declaration(
                participant=participants[key[0]],
                lot=lot,
                month=months[key[1]],
                hours=Decimal(rng.randint(10, 150)),
                modality="cdd",
                coefficient=Decimal("1"),
                status="validated",
                validated_at=timezone.now(),
                source="facilitator",
            )
        )
    base.bulk(Declaration, declarations)
    services = [make_service(thematic=None) for _ in range(20)]
    referred = sorted({(rng.randrange(len(persons)), rng.randrange(20)) for _ in range(rows)})
    sender = director.user
    base.bulk(
        Referral,
        [
            Referral(
                person=persons[person],
                service=services[service],
                sender_structure=structure,
                sender=sender,
                message="Bonjour.",
                shared_scopes=["identity"],
                consent_recorded_at=moment(n),
                sent_at=moment(n),
                state="sent",
            )
            for n, (person, service) in enumerate(referred)
        ],
    )
    offers = base.bulk(
        JobOffer,
        [
            JobOffer(
                source="own",
                title=f"Offre {n}",
                structure=structure,
                published_at=moment(n),
                contract_type=rng.choice(["CDI", "CDD", "MIS"]),
            )
            for n in range(rows)
        ],
    )
    base.bulk(
        Introduction,
        [
            Introduction(
                person=persons[rng.randrange(len(persons))],
                offer=offers[n],
                structure=structure,
                consent_given_at=moment(n),
                consent_text="Accord.",
                status=rng.choice(["sent", "hired", "interview"]),
                answer_digest=f"{n:064d}",
                created_at=moment(n),
            )
            for n in range(rows)
        ],
    )


def measure(repeats):
    from tisserand.reporting import indicators
    from tisserand.reporting.indicators import Period, Scope

    modules = ("Événements", "Clauses sociales", "Orientations", "Offres et mises en relation")
    chosen = [i for i in indicators.current() if i.module in modules]
    chosen.append(indicators.get("needs_handled"))
    period = Period.year(date.today().year - 1)
    print(f"{'indicator':32} {'figure':>10} {'by quarter':>12} {'value':>12}")
    for indicator in chosen:
        times, split = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            value = indicator.compute(Scope(), period)
            times.append(time.perf_counter() - started)
            if indicator.kind != "rate" and indicator.supports("quarter"):
                started = time.perf_counter()
                indicator.breakdown(Scope(), period, ["quarter"])
                split.append(time.perf_counter() - started)
        by_quarter = f"{statistics.median(split) * 1000:.0f} ms" if split else "—"
        print(
            f"{indicator.code:32} {statistics.median(times) * 1000:>7.0f} ms "
            f"{by_quarter:>12} {value!s:>12}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=5_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", default="")
    args = parser.parse_args()
    base.setup_django(args.keep)
    from django.db import transaction

    from tisserand.people.models import Person

    if not Person.objects.exists():
        started = time.perf_counter()
        with transaction.atomic():
            generate(random.Random(2026), args.persons, args.rows)
        base.analyze()
        print(f"rows in {time.perf_counter() - started:.0f} s")
    measure(args.repeats)


if __name__ == "__main__":
    main()
