"""Benchmark of the accompaniment pages: caseload (file active), its export, the person page
and the accompaniment page, at scale.

    .venv/bin/python bench/accompaniment_pages.py [--persons 100000] [--events 2000000]
        [--structures 20] [--repeats 20] [--keep var/bench_accompaniment.sqlite3]

Runs on a separate SQLite file (a temporary one, or ``--keep PATH`` to build it once and reuse
it), or on DATABASE_URL when set (use a scratch database: the data is generated there).
Generates ``--structures`` structures with one director and 100 persons per référent; each
person has an accompaniment (a fifth of them exited, half of those followed up at 6 months),
two attended appointments and one planned, some RQTH statuses; ``--events`` timeline events
(half on the person, half on their accompaniment, about the person), plus one heavy person with a
long history (thousands of events, 60 diagnosis revisions, 30 objectives with actions). Then
prints the median and p95 server-side time (Django test client, ``--repeats`` requests) and the
query count of each page. Target: ≤ 150 ms median.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_REFERENT = 100
BATCH = 10_000
HEAVY_EVENTS = 5_000
FIRST_NAMES = ["Amina", "Karim", "Julie", "Nadia", "Thomas", "Sofiane", "Léa", "Mehdi", "Inès"]
LAST_NAMES = ["Haddad", "Lefebvre", "Martin", "Benali", "Durand", "Petit", "Moreau", "Diallo"]
PROGRAMMES = ["reinforced", "plie", "social_clauses", "tzcld", "career_securing"]


def setup_django(keep):
    if not os.environ.get("DATABASE_URL"):
        path = Path(keep) if keep else Path(tempfile.mkdtemp()) / "bench.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["TISSERAND_SQLITE_PATH"] = str(path.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
    os.environ.setdefault("TISSERAND_LOG_LEVEL", "WARNING")
    os.environ.setdefault("TISSERAND_MFA_REQUIRED", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tisserand.referentials.vocabularies.loading import load_vocabularies

    load_vocabularies()


def bulk(model, rows):
    created = []
    for start in range(0, len(rows), BATCH):
        created += model.objects.bulk_create(rows[start : start + BATCH])
    return created


# --- Generation -------------------------------------------------------------------------------


def make_structures(count, referents_per_structure):
    from django.contrib.auth import get_user_model

    from tisserand.structures.demo import demo_siret
    from tisserand.structures.models import Membership, Structure
    from tisserand.structures.roles import Role

    structures = bulk(
        Structure,
        [
            Structure(
                name=f"Structure du banc d'essai {n}",
                kind="maison_emploi",
                siret=demo_siret(8000 + n),
                address_line="1 rue du Banc",
                postal_code="59100",
                commune_name="Roubaix",
                commune_insee="59512",
            )
            for n in range(count)
        ],
    )
    User = get_user_model()
    per_structure = referents_per_structure + 1
    users = bulk(
        User,
        [
            User(email=f"membre{n}@banc.test", first_name="Membre", last_name=str(n))
            for n in range(count * per_structure)
        ],
    )
    memberships = []
    for index, structure in enumerate(structures):
        chunk = users[index * per_structure : (index + 1) * per_structure]
        memberships += [
            Membership(user=u, structure=structure, role=Role.REFERENT) for u in chunk[1:]
        ]
        memberships.append(Membership(user=chunk[0], structure=structure, role=Role.DIRECTOR))
    memberships = bulk(Membership, memberships)
    referents = [m for m in memberships if m.role == Role.REFERENT]
    directors = [m for m in memberships if m.role == Role.DIRECTOR]
    return referents, directors


def make_persons(rng, referents, count):
    from tisserand.people.models import FollowUpMember, Person, PublicStatus
    from tisserand.people.text import name_key

    owners = [referents[n * len(referents) // count] for n in range(count)]
    rows = []
    for n, referent in enumerate(owners):
        first, last = rng.choice(FIRST_NAMES), f"{rng.choice(LAST_NAMES)}{n}"
        in_qpv = rng.random() < 0.5
        rows.append(
            Person(
                owner_structure_id=referent.structure_id,
                first_name=first,
                last_name=last,
                birth_date=date(1965, 1, 1) + timedelta(days=rng.randint(0, 14000)),
                search_name=name_key(last, first, ""),
                qpv_status="in_qpv" if in_qpv else "not_in_qpv",
                qpv_code="QN05901M" if in_qpv else "",
                qpv_precision="address",
                qpv_determined_on=date(2025, 1, 1),
            )
        )
    persons = bulk(Person, rows)
    bulk(
        FollowUpMember,
        [
            FollowUpMember(
                person=p,
                user_id=r.user_id,
                structure_id=r.structure_id,
                role="referent",
                since=date(2024, 1, 1),
            )
            for p, r in zip(persons, owners, strict=True)
        ],
    )
    today = date.today()
    bulk(
        PublicStatus,
        [
            PublicStatus(
                person=p,
                kind="rqth",
                valid_from=date(2020, 1, 1),
                valid_until=today + timedelta(days=rng.randint(1, 400)),
                is_special_category=True,
            )
            for p in persons
            if rng.random() < 0.05
        ],
    )
    return persons, owners


def make_accompaniments(rng, persons, owners):
    from tisserand.accompaniment.models import (
        Accompaniment,
        Programme,
        SixMonthFollowUp,
    )

    programmes = {p.code: p.pk for p in Programme.objects.all()}
    today = date.today()
    rows = []
    for person, referent in zip(persons, owners, strict=True):
        entry = today - timedelta(days=rng.randint(30, 900))
        closed = rng.random() < 0.2
        exit_date = entry + timedelta(days=rng.randint(0, (today - entry).days)) if closed else None
        exit_type = rng.choice(["cdi", "job_seeker", "qualifying_training"]) if closed else ""
        rows.append(
            Accompaniment(
                person=person,
                programme_id=programmes[rng.choice(PROGRAMMES)],
                structure_id=referent.structure_id,
                referent_id=referent.user_id,
                status="closed" if closed else "open",
                entry_date=entry,
                planned_end_date=entry + timedelta(days=rng.choice([365, 730])),
                exit_date=exit_date,
                exit_type=exit_type,
                exit_contract_type="cdi" if exit_type == "cdi" else "",
            )
        )
    accompaniments = bulk(Accompaniment, rows)
    follow_ups = []
    for accompaniment in accompaniments:
        if accompaniment.status != "closed":
            continue
        follow_up = SixMonthFollowUp.scheduled_for(accompaniment)
        if follow_up.due_on <= today and rng.random() < 0.5:
            follow_up.contacted_on, follow_up.situation = follow_up.due_on, "cdi"
            follow_up.recorded_at = accompaniment.created_at
        follow_ups.append(follow_up)
    bulk(SixMonthFollowUp, follow_ups)
    return accompaniments


def make_appointments(rng, accompaniments):
    from django.utils import timezone

    from tisserand.appointments.models import Appointment

    now = timezone.now()
    rows = []
    for accompaniment in accompaniments:
        for index in range(3):
            past = index < 2
            starts_at = now + timedelta(
                days=-rng.randint(1, 120) if past else rng.randint(1, 30), hours=rng.randint(0, 8)
            )
            rows.append(
                Appointment(
                    person_id=accompaniment.person_id,
                    counsellor_id=accompaniment.referent_id,
                    structure_id=accompaniment.structure_id,
                    starts_at=starts_at,
                    subject="Point",
                    attendance="present" if past else "planned",
                    attendance_recorded_at=starts_at if past else None,
                )
            )
    bulk(Appointment, rows)
    return len(rows)


def make_heavy_history(rng, accompaniment, referent):
    """One person with a long history: diagnosis revisions, objectives and actions."""
    from tisserand.accompaniment.models import BarrierAssessment, Objective, PlanAction
    from tisserand.referentials.vocabularies import api as vocabularies

    themes = [t.code for t in vocabularies.terms(vocabularies.BARRIER_THEME)]
    bulk(
        BarrierAssessment,
        [
            BarrierAssessment(
                accompaniment=accompaniment,
                theme=themes[n % len(themes)],
                level=n % 4,
                comment=f"Révision {n}",
                assessed_on=accompaniment.entry_date + timedelta(days=n),
                recorded_by_id=referent.user_id,
            )
            for n in range(60)
        ],
    )
    objectives = bulk(
        Objective,
        [
            Objective(accompaniment=accompaniment, theme=themes[n % len(themes)], label=f"Obj {n}")
            for n in range(30)
        ],
    )
    bulk(
        PlanAction,
        [
            PlanAction(objective=o, action_type="individual_interview", label=f"Action {n}")
            for o in objectives
            for n in range(3)
        ],
    )


def make_events(rng, accompaniments, count, heavy):
    """Half the events on the person, half on their accompaniment (about the person)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from tisserand.accompaniment.models import Accompaniment
    from tisserand.core import timeline
    from tisserand.core.models import TimelineEvent
    from tisserand.people.models import Person

    person_type = ContentType.objects.get_for_model(Person)
    accompaniment_type = ContentType.objects.get_for_model(Accompaniment)
    now = timezone.now()
    batch = []
    for n in range(count):
        accompaniment = heavy if n < HEAVY_EVENTS else rng.choice(accompaniments)
        about = n % 2 == 1
        event = TimelineEvent(
            subject_type=accompaniment_type if about else person_type,
            subject_id=str(accompaniment.pk) if about else str(accompaniment.person_id),
            verb="action",
            summary=f"Événement {n}",
            occurred_at=now - timedelta(minutes=n),
        )
        batch.append((event, accompaniment.person if about else None))
        if len(batch) >= BATCH:
            timeline.bulk_record(batch, batch_size=BATCH)
            batch = []
    timeline.bulk_record(batch, batch_size=BATCH)


def analyze():
    """Planner statistics, as autovacuum keeps them on a live PostgreSQL database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def generate(args):
    from django.db import transaction

    rng = random.Random(2026)
    started = time.perf_counter()
    referents_per_structure = max(1, args.persons // (PER_REFERENT * args.structures))
    with transaction.atomic():
        referents, _ = make_structures(args.structures, referents_per_structure)
        persons, owners = make_persons(rng, referents, args.persons)
        accompaniments = make_accompaniments(rng, persons, owners)
        appointments = make_appointments(rng, accompaniments)
        heavy = next(a for a in accompaniments if a.status == "open")
        make_heavy_history(rng, heavy, owners[persons.index(heavy.person)])
    with transaction.atomic():
        make_events(rng, accompaniments, args.events, heavy)
    analyze()
    print(
        f"generated {len(persons)} persons, {len(referents)} référents, "
        f"{appointments} appointments, {args.events} timeline events "
        f"in {time.perf_counter() - started:.0f} s"
    )


# --- Measures ---------------------------------------------------------------------------------


def client_for(membership):
    from django.test import Client

    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["current_membership"] = str(membership.public_id)
    session.save()
    return client


def measure(label, client, urls, repeats):
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(urls[0]).status_code == 200, urls[0]
    durations = []
    for n in range(repeats):
        started = time.perf_counter()
        response = client.get(urls[n % len(urls)])
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    durations.sort()
    p95 = durations[max(int(len(durations) * 0.95) - 1, 0)]
    median = statistics.median(durations)
    flag = "" if median <= 150 else "  > 150 ms"
    print(
        f"{label:<60} median {median:6.1f} ms  p95 {p95:6.1f} ms  {len(queries):3d} queries{flag}"
    )


def run_measures(repeats):
    from django.db import connection

    from tisserand.accompaniment.models import Accompaniment, BarrierAssessment
    from tisserand.structures.models import Membership
    from tisserand.structures.roles import Role

    referent = Membership.objects.filter(role=Role.REFERENT).select_related("user").first()
    director = Membership.objects.get(structure_id=referent.structure_id, role=Role.DIRECTOR)
    mine = Accompaniment.objects.filter(referent_id=referent.user_id)
    heavy = BarrierAssessment.objects.select_related("accompaniment__person").first().accompaniment
    heavy_referent = Membership.objects.get(
        user_id=heavy.referent_id, structure_id=heavy.structure_id
    )
    print(
        f"{connection.vendor}: référent's caseload {mine.count()} accompaniments, "
        f"director's {Accompaniment.objects.filter(structure_id=referent.structure_id).count()}"
    )
    as_referent, as_director = client_for(referent), client_for(director)
    caseload = "/accompagnement/"
    measure("caseload, référent", as_referent, [caseload], repeats)
    measure(
        "caseload, référent, sorted by last contact",
        as_referent,
        [caseload + "?statut=tous&tri=-contact"],
        repeats,
    )
    measure(
        "caseload, référent, no contact for 30 days",
        as_referent,
        [caseload + "?contact=ancien"],
        repeats,
    )
    measure("caseload, director (whole structure)", as_director, [caseload], repeats)
    measure(
        "caseload, director, last page sorted by last contact",
        as_director,
        [caseload + "?statut=tous&tri=contact&page=9999"],
        repeats,
    )
    measure(
        "caseload XLSX export, référent (all rows)",
        as_referent,
        [caseload + "export.xlsx"],
        repeats,
    )
    persons = [f"/personnes/{a.person.public_id}/" for a in mine.select_related("person")[:20]]
    measure("person page, référent (20 persons of the caseload)", as_referent, persons, repeats)
    details = [f"/accompagnement/{a.public_id}/" for a in mine[:20]]
    measure("accompaniment page, référent", as_referent, details, repeats)
    heavy_client = client_for(heavy_referent)
    measure(
        f"person page, heavy history (>{HEAVY_EVENTS} events)",
        heavy_client,
        [f"/personnes/{heavy.person.public_id}/"],
        repeats,
    )
    measure(
        "accompaniment page, heavy history",
        heavy_client,
        [f"/accompagnement/{heavy.public_id}/"],
        repeats,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--structures", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--keep", help="SQLite file to build once and reuse")
    args = parser.parse_args()
    setup_django(args.keep)
    from tisserand.people.models import Person

    if Person.objects.exists():
        print(f"reusing the generated data ({Person.objects.count()} persons)")
    else:
        generate(args)
    run_measures(args.repeats)


if __name__ == "__main__":
    main()
