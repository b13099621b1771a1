"""Benchmark of appointments: the agenda page, last contacts and due reminders at scale.

    .venv/bin/python bench/appointments_agenda.py [--persons 20000] [--per-person 15]

Runs on a throwaway SQLite database (or on DATABASE_URL when set: use a scratch database).
Generates persons followed by 40 counsellors and their appointments over two years, then
prints the p50/p95 server-side time of the agenda (week and day views, full page), of
``last_contact_dates`` for a page of 50 persons, of a caseload-like sort of every person on
their last contact (``last_contact_subquery``), and of the due-reminders query.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNSELLORS = 40
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


def make_people(rng, persons):
    from django.contrib.auth import get_user_model

    from tisserand.people.models import FollowUpMember, Person
    from tisserand.people.text import name_key
    from tisserand.structures.demo import demo_siret
    from tisserand.structures.models import Membership, Structure
    from tisserand.structures.roles import Role

    structure = Structure.objects.create(
        name="Structure du banc d'essai",
        kind="maison_emploi",
        siret=demo_siret(9001),
        address_line="1 rue du Banc",
        postal_code="59100",
        commune_name="Roubaix",
        commune_insee="59512",
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            email=f"conseiller{n}@banc.test", first_name="Conseiller", last_name=str(n)
        )
        for n in range(COUNSELLORS)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=user, structure=structure, role=Role.REFERENT) for user in users
    )
    rows = []
    for n in range(persons):
        first, last = f"Prénom{n}", f"Nom{n}"
        rows.append(
            Person(
                owner_structure=structure,
                first_name=first,
                last_name=last,
                birth_date=date(1970 + n % 35, 1 + n % 12, 1 + n % 28),
                email=f"personne{n}@banc.test" if n % 3 else "",
                search_name=name_key(last, first, ""),
            )
        )
    people = []
    for start in range(0, len(rows), BATCH):
        people += Person.objects.bulk_create(rows[start : start + BATCH])
    owners = {}
    follow_ups = []
    for person in people:
        owner = rng.choice(users)
        owners[person.pk] = owner
        follow_ups.append(
            FollowUpMember(person=person, user=owner, structure=structure, role="referent")
        )
    FollowUpMember.objects.bulk_create(follow_ups, batch_size=BATCH)
    return structure, memberships, people, owners


def make_appointments(rng, structure, people, owners, per_person):
    from django.utils import timezone

    from tisserand.appointments.models import Appointment, Attendance

    now = timezone.now()
    attendances = [Attendance.PRESENT] * 6 + [Attendance.ABSENT, Attendance.EXCUSED]
    batch, total = [], 0
    for person in people:
        for _ in range(per_person):
            starts_at = now + timedelta(days=rng.uniform(-640, 90))
            starts_at = starts_at.replace(minute=rng.choice([0, 15, 30, 45]), second=0)
            past = starts_at < now
            attendance = rng.choice(attendances) if past else Attendance.PLANNED
            batch.append(
                Appointment(
                    person=person,
                    counsellor=owners[person.pk],
                    structure=structure,
                    starts_at=starts_at,
                    subject="Entretien de suivi",
                    attendance=attendance,
                    attendance_recorded_at=starts_at if past else None,
                )
            )
        if len(batch) >= BATCH:
            Appointment.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    Appointment.objects.bulk_create(batch)
    return total + len(batch)


def timed(function, repeats):
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[int(len(durations) * 0.95) - 1]


def report(label, figures):
    print(f"{label:<62} p50 {figures[0]:7.1f} ms   p95 {figures[1]:7.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--per-person", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tisserand.appointments import reminders
    from tisserand.appointments.models import Appointment
    from tisserand.appointments.services import last_contact_dates, last_contact_subquery
    from tisserand.people.models import Person

    rng = random.Random(2026)
    started = time.perf_counter()
    structure, memberships, people, owners = make_people(rng, args.persons)
    total = make_appointments(rng, structure, people, owners, args.per_person)
    print(
        f"{connection.vendor}: {len(people)} persons, {total} appointments, "
        f"{COUNSELLORS} counsellors, generated in {time.perf_counter() - started:.1f} s"
    )

    membership = memberships[0]
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["current_membership"] = str(membership.public_id)
    session.save()
    today = timezone.localdate()

    def agenda(view):
        def request():
            day = today + timedelta(days=rng.randint(-60, 60))
            response = client.get("/agenda/", {"vue": view, "date": day.isoformat()})
            assert response.status_code == 200

        return request

    week_count = Appointment.objects.filter(
        counsellor=membership.user,
        starts_at__gte=timezone.make_aware(datetime.combine(today, datetime.min.time())),
        starts_at__lt=timezone.make_aware(
            datetime.combine(today + timedelta(days=7), datetime.min.time())
        ),
    ).count()
    with CaptureQueriesContext(connection) as queries:
        agenda("semaine")()
    print(f"agenda: about {week_count} appointments a week, {len(queries)} queries a page")
    report("agenda, week view (full page, server side)", timed(agenda("semaine"), args.repeats))
    report("agenda, day view (full page, server side)", timed(agenda("jour"), args.repeats))

    ids = [person.pk for person in people]
    report(
        "last_contact_dates(50 persons)",
        timed(lambda: last_contact_dates(rng.sample(ids, 50)), args.repeats),
    )

    def sorted_by_last_contact():
        persons = Person.objects.annotate(last_contact_at=last_contact_subquery())
        list(persons.order_by("-last_contact_at", "pk").values_list("pk", flat=True)[:50])

    report(
        f"sort {len(people)} persons on their last contact (first page)",
        timed(sorted_by_last_contact, max(3, args.repeats // 8)),
    )

    def counsellor_caseload_no_contact_30_days():
        limit = timezone.now() - timedelta(days=30)
        persons = Person.objects.filter(follow_ups__user=membership.user).annotate(
            last_contact_at=last_contact_subquery()
        )
        persons.filter(last_contact_at__lt=limit).count()

    report(
        "one counsellor's persons without contact for 30 days (count)",
        timed(counsellor_caseload_no_contact_30_days, args.repeats),
    )
    report("due reminders (next 24 h)", timed(lambda: list(reminders.due()), args.repeats))


if __name__ == "__main__":
    main()
