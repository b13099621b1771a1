"""Benchmark of the people app: person page, Personnes list, duplicate detection at scale.

    .venv/bin/python bench/people_pages.py [--persons 100000] [--events 2000000]

Runs on a throwaway SQLite database (or on DATABASE_URL when set: use a scratch database).
Generates persons of one structure followed by 40 counsellors, with statuses, notes and
timeline events (half on the person, half on other objects *about* the person), then prints
the p50/p95 server-side time of the person page (a counsellor and the administrator), of the
Personnes list with a name search, and of ``find_duplicates``, with the queries of a page.
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

COUNSELLORS = 40
BATCH = 10000
FIRST_NAMES = ["Amina", "Karim", "Julie", "Nadia", "Thomas", "Sofiane", "Léa", "Mehdi", "Inès"]
LAST_NAMES = ["Haddad", "Lefebvre", "Martin", "Benali", "Durand", "Petit", "Moreau", "Diallo"]


def setup_django(reuse=None):
    if not os.environ.get("DATABASE_URL"):
        path = reuse or str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
        print(f"SQLite database: {path}")
        os.environ["TISSERAND_SQLITE_PATH"] = path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
    os.environ.setdefault("TISSERAND_LOG_LEVEL", "WARNING")
    os.environ.setdefault("TISSERAND_MFA_REQUIRED", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_structure_and_members():
    from django.contrib.auth import get_user_model

    from tisserand.structures.demo import demo_siret
    from tisserand.structures.models import Membership, Structure
    from tisserand.structures.roles import Role

    structure = Structure.objects.create(
        name="Structure du banc d'essai",
        kind="maison_emploi",
        siret=demo_siret(9002),
        address_line="1 rue du Banc",
        postal_code="59100",
        commune_name="Roubaix",
        commune_insee="59512",
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"conseiller{n}@banc.test", first_name="Conseiller", last_name=str(n))
        for n in range(COUNSELLORS + 1)
    )
    members = Membership.objects.bulk_create(
        Membership(user=user, structure=structure, role=Role.REFERENT) for user in users[:-1]
    )
    admin = Membership.objects.create(user=users[-1], structure=structure, role=Role.ADMIN)
    return structure, members, admin


def make_persons(rng, structure, members, count):
    from tisserand.people.models import FollowUpMember, Person, PublicStatus
    from tisserand.people.text import name_key

    rows = []
    for n in range(count):
        first = rng.choice(FIRST_NAMES)
        last = f"{rng.choice(LAST_NAMES)}{n}"
        rows.append(
            Person(
                owner_structure=structure,
                first_name=first,
                last_name=last,
                birth_date=date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000)),
                search_name=name_key(last, first, ""),
            )
        )
    persons = []
    for start in range(0, len(rows), BATCH):
        persons += Person.objects.bulk_create(rows[start : start + BATCH])
    FollowUpMember.objects.bulk_create(
        (
            FollowUpMember(
                person=person,
                user_id=rng.choice(members).user_id,
                structure=structure,
                role="referent",
            )
            for person in persons
        ),
        batch_size=BATCH,
    )
    PublicStatus.objects.bulk_create(
        (
            PublicStatus(
                person=person,
                kind=kind,
                valid_from=date(2023, 1, 1),
                is_special_category=kind == "rqth",
            )
            for person in persons
            for kind in ("rsa", "rqth")
        ),
        batch_size=BATCH,
    )
    return persons


def make_events(rng, structure, persons, count):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from tisserand.core import timeline
    from tisserand.core.models import TimelineEvent
    from tisserand.people.models import Person
    from tisserand.structures.models import Structure

    person_type = ContentType.objects.get_for_model(Person)
    structure_type = ContentType.objects.get_for_model(Structure)
    now = timezone.now()
    batch = []
    for n in range(count):
        person = persons[rng.randrange(len(persons))]
        about = n % 2 == 1
        event = TimelineEvent(
            subject_type=structure_type if about else person_type,
            subject_id=str(structure.pk) if about else str(person.pk),
            verb="action",
            summary=f"Événement {n}",
            occurred_at=now - timedelta(minutes=n),
        )
        batch.append((event, person if about else None))
        if len(batch) >= BATCH:
            timeline.bulk_record(batch, batch_size=BATCH)
            batch = []
    timeline.bulk_record(batch, batch_size=BATCH)


def existing_data():
    from tisserand.people.models import Person
    from tisserand.structures.models import Membership
    from tisserand.structures.roles import Role

    members = list(Membership.objects.filter(role=Role.REFERENT).order_by("pk"))
    admin = Membership.objects.get(role=Role.ADMIN)
    return admin.structure, members, admin, list(Person.objects.order_by("pk"))


def timed(function, repeats):
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[max(int(len(durations) * 0.95) - 1, 0)]


def report(label, figures):
    print(f"{label:<58} p50 {figures[0]:7.1f} ms   p95 {figures[1]:7.1f} ms")


def client_for(membership):
    from django.test import Client

    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["current_membership"] = str(membership.public_id)
    session.save()
    return client


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--reuse", help="an SQLite file a previous run generated (no generation)")
    args = parser.parse_args()
    setup_django(args.reuse)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tisserand.core.models import TimelineEvent
    from tisserand.people.duplicates import find_duplicates
    from tisserand.people.models import FollowUpMember

    rng = random.Random(2026)
    started = time.perf_counter()
    if args.reuse:
        structure, members, admin, persons = existing_data()
    else:
        structure, members, admin = make_structure_and_members()
        persons = make_persons(rng, structure, members, args.persons)
        make_events(rng, structure, persons, args.events)
    print(
        f"{connection.vendor}: {len(persons)} persons, {TimelineEvent.objects.count()} timeline "
        f"events, generated or read in {time.perf_counter() - started:.1f} s"
    )
    connection.queries_log.clear()

    followed = list(
        FollowUpMember.objects.filter(user_id=members[0].user_id).values_list(
            "person__public_id", flat=True
        )
    )
    counsellor, manager = client_for(members[0]), client_for(admin)

    def person_page(client):
        def request():
            response = client.get(f"/personnes/{rng.choice(followed)}/")
            assert response.status_code == 200

        return request

    with CaptureQueriesContext(connection) as queries:
        person_page(counsellor)()
    print(f"person page: {len(queries)} queries")
    report(
        "person page, référent (full page, server side)",
        timed(person_page(counsellor), args.repeats),
    )
    report("person page, administrator", timed(person_page(manager), args.repeats))
    report(
        "person page, timeline page 3",
        timed(
            lambda: counsellor.get(f"/personnes/{rng.choice(followed)}/", {"historique": 3}),
            args.repeats,
        ),
    )

    def listing(client, query=""):
        def request():
            assert client.get("/personnes/", {"q": query} if query else {}).status_code == 200

        return request

    print(f"Personnes list: the référent follows {len(followed)} persons")
    report("Personnes list, référent", timed(listing(counsellor), args.repeats))
    report(
        "Personnes list, référent, search « haddad »",
        timed(listing(counsellor, "haddad"), args.repeats),
    )
    report("Personnes list, administrator (all persons)", timed(listing(manager), args.repeats))

    def duplicates():
        person = rng.choice(persons)
        found = find_duplicates(person.first_name, person.last_name + "x", person.birth_date)
        assert any(candidate.person.pk == person.pk for candidate in found)

    report("find_duplicates (typo in the name)", timed(duplicates, args.repeats))


if __name__ == "__main__":
    main()
