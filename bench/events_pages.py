"""Benchmark of events: an event with 500 registrations (attendance page, sign-in sheet PDF,
participants' export) and the agenda with 5,000 events.

    .venv/bin/python bench/events_pages.py [--events 5000] [--registrations 500]

Runs on a throwaway SQLite database (or on DATABASE_URL when set: use a scratch database).
Prints the p50/p95 server-side time of each page and its number of queries. Targets: the
attendance page and the sign-in PDF ≤ 1 s each, the agenda ≤ 150 ms median.
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
BATCH = 5000


def setup_django():
    if not os.environ.get("DATABASE_URL"):
        os.environ["TISSERAND_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
    os.environ.setdefault("TISSERAND_LOG_LEVEL", "WARNING")
    os.environ.setdefault("TISSERAND_MFA_REQUIRED", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(function, repeats):
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[max(0, int(len(durations) * 0.95) - 1)]


def report(label, figures, target=None):
    verdict = ""
    if target is not None:
        verdict = "  OK" if figures[0] <= target else f"  AU-DELÀ DE {target} ms"
    print(f"{label:<58} p50 {figures[0]:7.1f} ms   p95 {figures[1]:7.1f} ms{verdict}")


def build(rng, events, registrations):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tisserand.events.models import Event, Registration, Session, Status
    from tisserand.people.models import Person
    from tisserand.people.text import name_key
    from tisserand.referentials.vocabularies.loading import load_vocabularies
    from tisserand.structures.demo import demo_siret
    from tisserand.structures.models import Membership, Structure
    from tisserand.structures.roles import Role

    load_vocabularies()
    structures = [
        Structure.objects.create(
            name=f"Structure {n} du banc d'essai",
            kind="maison_emploi",
            siret=demo_siret(9100 + n),
            address_line="1 rue du Banc",
            postal_code="59100",
            commune_name="Roubaix",
            commune_insee="59512",
        )
        for n in range(10)
    ]
    user = get_user_model().objects.create_user(email="organisateur@banc.test", password="x")
    membership = Membership.objects.create(user=user, structure=structures[0], role=Role.BUSINESS)
    now = timezone.now()
    types = ["workshop", "information_session", "hr_club", "job_dating", "forum"]
    rows = []
    for n in range(events):
        start = (now + timedelta(days=rng.uniform(1, 365))).replace(minute=0, second=0)
        rows.append(
            Event(
                event_type=rng.choice(types),
                title=f"Événement {n}",
                structure=rng.choice(structures),
                address_line="1 place de la Liberté",
                visibility=rng.choice(["internal", "network", "public"]),
                starts_at=start,
            )
        )
    created = []
    for first in range(0, len(rows), BATCH):
        created += Event.objects.bulk_create(rows[first : first + BATCH])
    sessions = Session.objects.bulk_create(
        [
            Session(
                event=event,
                starts_at=event.starts_at,
                ends_at=event.starts_at + timedelta(hours=2),
                capacity=20,
            )
            for event in created
        ],
        batch_size=BATCH,
    )
    # The big event: one session with ``registrations`` persons, already started.
    big = Event.objects.create(
        event_type="forum",
        title="Forum de l'emploi",
        structure=structures[0],
        address_line="Salle Watremez",
        visibility="network",
        starts_at=now - timedelta(minutes=30),
        programme_code="reinforced",
    )
    session = Session.objects.create(
        event=big,
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=3),
        capacity=registrations,
        seats_taken=registrations,
    )
    persons = Person.objects.bulk_create(
        [
            Person(
                owner_structure=structures[0],
                first_name=f"Prénom{n}",
                last_name=f"Nom{n}",
                birth_date=date(1970 + n % 35, 1 + n % 12, 1 + n % 28),
                search_name=name_key(f"Nom{n}", f"Prénom{n}", ""),
            )
            for n in range(registrations)
        ]
    )
    Registration.objects.bulk_create(
        [
            Registration(
                session=session,
                person=person,
                status=Status.REGISTERED,
                registered_by_structure=structures[0],
            )
            for person in persons
        ]
    )
    return membership, big, session, sessions


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--registrations", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    rng = random.Random(2026)
    started = time.perf_counter()
    membership, big, session, _ = build(rng, args.events, args.registrations)
    print(
        f"{connection.vendor}: {args.events} events, one of {args.registrations} registrations, "
        f"generated in {time.perf_counter() - started:.1f} s; load average "
        + " ".join(f"{load:.1f}" for load in os.getloadavg())
        + f" on {os.cpu_count()} CPU"
    )
    client = Client()
    client.force_login(membership.user)
    web_session = client.session
    web_session["current_membership"] = str(membership.public_id)
    web_session.save()

    def get(url, params=None):
        def request():
            response = client.get(url, params or {})
            assert response.status_code == 200, response.status_code

        return request

    pages = [
        ("agenda, list view (first page of 50)", reverse("events:agenda"), {}, 150),
        ("agenda, week view", reverse("events:agenda"), {"vue": "semaine"}, 150),
        ("agenda, month view", reverse("events:agenda"), {"vue": "mois"}, 150),
        (
            "agenda, filtered (type, month view)",
            reverse("events:agenda"),
            {"vue": "mois", "type": "workshop"},
            150,
        ),
        (
            f"attendance page ({args.registrations} participants)",
            reverse("events:attendance", args=[session.public_id]),
            {},
            1000,
        ),
        (
            f"event page ({args.registrations} participants)",
            reverse("events:detail", args=[big.public_id]),
            {},
            None,
        ),
        (
            f"sign-in sheet PDF ({args.registrations} names)",
            reverse("events:sign_in_sheet", args=[session.public_id]),
            {},
            1000,
        ),
        (
            f"participants XLSX ({args.registrations} rows)",
            reverse("events:export", args=[big.public_id]),
            {},
            None,
        ),
    ]
    for label, url, params, target in pages:
        with CaptureQueriesContext(connection) as queries:
            get(url, params)()
        repeats = max(5, args.repeats // 2) if "PDF" in label else args.repeats
        report(f"{label} [{len(queries)} q]", timed(get(url, params), repeats), target)


if __name__ == "__main__":
    main()
