"""Benchmark of the needs' inbox and the daily check of the companies' reminders, at scale.

    .venv/bin/python bench/companies_needs.py [--needs 50000] [--structures 20] [--repeats 20]
        [--keep var/bench_companies_needs.sqlite3]

Runs on a separate SQLite file (a temporary one, or ``--keep PATH``), or on DATABASE_URL when
set (a scratch database: the data is generated there). Generates ``--needs`` needs over 5,000
establishments, each routed to one to three of ``--structures`` structures at every status,
over the last 120 days. Prints the median and p95 server-side time (Django test client) and the
query count of the inbox of one structure — unfiltered, filtered by computed status (the SQL
annotation), by subject and age — and the time of ``tasks.check_due`` selecting the day's
reminders, abandonments and satisfaction questions (enqueuing disabled: selection only).
Target: ≤ 150 ms median for the inbox, a query count independent of the number of needs.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 5_000


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


def timed(function, repeats):
    durations = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    return statistics.median(durations), durations[max(int(len(durations) * 0.95) - 1, 0)]


def report(label, figures, queries=None):
    more = f"   {queries} requêtes" if queries is not None else ""
    print(f"{label:<58} p50 {figures[0]:7.1f} ms   p95 {figures[1]:7.1f} ms{more}")


def generate(count, structure_count):
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from stdnum import luhn

    from tisserand.companies import need_catalogue
    from tisserand.companies.models import (
        AssignmentStatus,
        Establishment,
        LegalUnit,
        Need,
        NeedAssignment,
        NeedSubject,
    )
    from tisserand.structures.models import Membership, Structure, StructureKind
    from tisserand.structures.roles import Role

    if Need.objects.count() >= count:
        return Membership.objects.filter(role=Role.BUSINESS).order_by("pk").first()
    rng = random.Random(2026)
    need_catalogue.load()
    subjects = list(NeedSubject.objects.all())

    def siret(n, nic=1):
        siren = f"7{n:07d}"
        siren += luhn.calc_check_digit(siren)
        body = f"{siren}{nic:04d}"
        return siren, body + luhn.calc_check_digit(body)

    structures = []
    for n in range(structure_count):
        structures.append(
            Structure.objects.create(
                name=f"Structure {n:02d}",
                kind=StructureKind.MAISON_EMPLOI if n == 0 else StructureKind.ASSOCIATION,
                siret=siret(900_000 + n)[1],
                address_line="1 rue",
                postal_code="59100",
                commune_name="Roubaix",
                commune_insee="59512",
            )
        )
    user = get_user_model().objects.create_user(email="bench@exemple.test", password="x")
    membership = Membership.objects.create(user=user, structure=structures[0], role=Role.BUSINESS)
    units = LegalUnit.objects.bulk_create(
        LegalUnit(siren=siret(n)[0], name=f"Entreprise {n}") for n in range(5_000)
    )
    establishments = Establishment.objects.bulk_create(
        Establishment(legal_unit=u, siret=siret(n)[1], name=u.name, search_name=u.name.lower())
        for n, u in enumerate(units)
    )
    now = timezone.now()
    statuses = list(AssignmentStatus)
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        needs = Need.objects.bulk_create(
            Need(
                establishment=rng.choice(establishments),
                subject=rng.choice(subjects),
                created_by=user,
                created_by_structure=structures[0],
            )
            for _ in range(size)
        )
        rows = []
        for need in needs:
            routed = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1000))
            for structure in rng.sample(structures, rng.randint(1, 3)):
                status = rng.choice(statuses)
                rows.append(
                    NeedAssignment(
                        need=need,
                        structure=structure,
                        status=status,
                        assigned_at=routed,
                        taken_at=routed if status == AssignmentStatus.TAKEN else None,
                        closed_at=None
                        if status in (AssignmentStatus.WAITING, AssignmentStatus.TAKEN)
                        else routed + timedelta(days=1),
                    )
                )
        NeedAssignment.objects.bulk_create(rows, batch_size=BATCH)
    from tisserand.core.planner import refresh_statistics

    # As an import does: the planner learns the tables are no longer empty.
    refresh_statistics(LegalUnit, Establishment, Need, NeedAssignment)
    return membership


def _counting(queries):
    def wrapper(run, sql, *rest):
        queries.append(sql)
        return run(sql, *rest)

    return wrapper


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=50_000)
    parser.add_argument("--structures", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--keep")
    args = parser.parse_args()
    setup_django(args.keep)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tisserand.companies import reminders, satisfaction
    from tisserand.companies.models import Need, NeedAssignment, NeedSubject

    start = time.perf_counter()
    membership = generate(args.needs, args.structures)
    print(
        f"{Need.objects.count()} besoins, {NeedAssignment.objects.count()} orientations "
        f"(génération {time.perf_counter() - start:.1f} s)"
    )
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["current_membership"] = str(membership.public_id)
    session.save()
    url = reverse("companies:needs_inbox")
    subject = NeedSubject.objects.order_by("pk").first()
    cases = [
        ("boîte des besoins, sans filtre", {}),
        ("filtrée par statut calculé (en attente)", {"status": "waiting"}),
        ("filtrée par statut calculé, page 20", {"status": "taken", "page": 20}),
        ("filtrée par sujet et ancienneté > 21 jours", {"subject": subject.pk, "age": "21"}),
    ]
    for label, query in cases:
        assert client.get(url, query).status_code == 200
        queries: list = []
        with connection.execute_wrapper(_counting(queries)):
            client.get(url, query)
        report(label, timed(lambda q=query: client.get(url, q), args.repeats), len(queries))

    def selection():
        list(reminders.due_next_actions().values_list("pk", flat=True))
        list(reminders.due_abandonments().values_list("pk", flat=True))
        for claim in reminders.ASSIGNMENT_CLAIMS:
            list(reminders.due_assignment_reminders(claim).values_list("pk", flat=True))
        list(satisfaction.due().values_list("pk", flat=True))

    report("sélection du contrôle quotidien (check_due)", timed(selection, 5))


if __name__ == "__main__":
    main()
