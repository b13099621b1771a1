"""Benchmark of the social clauses: the yearly report at scale and an operation's dashboard.

    .venv/bin/python bench/clauses_report.py [--contracts 2000] [--participants 5000]
                                             [--declarations 60000] [--repeats 15]

Runs on a throwaway SQLite database (or on DATABASE_URL when set: use a scratch database).
Generates one structure, three buyers, one large operation holding every contract (two lots
each), the participants and a year of monthly declarations, plus a typical operation of 30
contracts (60 lots, 80 participants, two years of declarations) in the same database. Prints the
p50/p95 time of the yearly report of the large operation (figures, then PDF, then XLSX), the
national consolidation export, and the dashboard page of the typical and of the large operation
(full page, server side), with their query counts.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
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


def make_world(rng, contracts, participants, declarations):
    from django.contrib.auth import get_user_model

    from tisserand.clauses.models import (
        Buyer,
        Contract,
        CriterionSource,
        Declaration,
        EligibilityCriterion,
        LegalForm,
        Lot,
        Modality,
        Operation,
        Participant,
        ParticipantCriterion,
    )
    from tisserand.companies.models import Establishment, LegalUnit
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
    user = get_user_model().objects.create_user(email="clauses@banc.test", password="x" * 12)
    membership = Membership.objects.create(
        user=user, structure=structure, role=Role.CLAUSE_FACILITATOR
    )
    buyers = [
        Buyer.objects.create(structure=structure, kind=kind, name=name, siret=demo_siret(9100 + i))
        for i, (kind, name) in enumerate(
            [("social_landlord", "Bailleur"), ("city", "Ville"), ("metropolis", "Métropole")]
        )
    ]
    holders = []
    for index in range(200):
        siret = demo_siret(9200 + index)
        unit = LegalUnit.objects.create(siren=siret[:9], name=f"Entreprise {index}")
        holders.append(
            Establishment.objects.create(legal_unit=unit, siret=siret, name=f"Entreprise {index}")
        )

    def operation(name):
        op = Operation.objects.create(
            structure=structure,
            programme="npnru",
            name=name,
            starts_on=datetime.date(2024, 1, 1),
            ends_on=datetime.date(2029, 12, 31),
            qpv_share=Decimal("0.5"),
        )
        op.buyers.set(buyers)
        return op

    def contracts_and_lots(op, count, prefix):
        rows = [
            Contract(
                operation=op,
                buyer=buyers[i % 3],
                reference=f"{prefix}-{i:05d}",
                object=f"Travaux {i}",
                amount=Decimal(rng.randrange(200_000, 3_000_000, 10_000)),
                nature="works",
                starts_on=datetime.date(2024, rng.randint(1, 12), 1),
                ends_on=datetime.date(2027, rng.randint(1, 12), 28),
            )
            for i in range(count)
        ]
        Contract.objects.bulk_create(rows, batch_size=BATCH)
        lots = [
            Lot(
                contract=contract,
                number=number,
                label=f"Lot {number}",
                holder=holders[(i * 2 + number) % len(holders)],
                amount=contract.amount / 2,
                legal_form=LegalForm.EXECUTION,
                labour_share=Decimal("0.5"),
                insertion_rate=Decimal("0.05"),
                hourly_cost=Decimal("30"),
                hours_owed=(contract.amount / 2 * Decimal("0.025") / 30).quantize(Decimal("0.1")),
                qpv_hours_owed=(contract.amount / 2 * Decimal("0.0125") / 30).quantize(
                    Decimal("0.1")
                ),
            )
            for i, contract in enumerate(rows)
            for number in (1, 2)
        ]
        Lot.objects.bulk_create(lots, batch_size=BATCH)
        return lots

    modalities = list(Modality.values)
    criterion = EligibilityCriterion.objects.get(code="deld")

    def people(count):
        rows = [
            Participant(
                structure=structure,
                first_name="Prénom",
                last_name=f"Nom{i}",
                birth_date=datetime.date(rng.randint(1965, 2006), rng.randint(1, 12), 10),
                gender=rng.choice(["female", "male"]),
                qpv_at_start=rng.choice(["in_qpv", "not_in_qpv", "unknown"]),
                level=rng.choice(["none", "3", "4", "5", "unknown"]),
                modality=rng.choice(modalities),
                starts_on=datetime.date(2024, rng.randint(1, 12), 1),
                is_eligible=i % 25 != 0,
                outcome_at_end=rng.choice(["", "lasting_job", "transitional_job", "no_solution"]),
            )
            for i in range(count)
        ]
        Participant.objects.bulk_create(rows, batch_size=BATCH)
        ParticipantCriterion.objects.bulk_create(
            [
                ParticipantCriterion(
                    participant=p,
                    criterion=criterion,
                    assessed_on=p.starts_on,
                    source=CriterionSource.RECORD,
                )
                for p in rows
                if p.is_eligible
            ],
            batch_size=BATCH,
        )
        return rows

    def declare(lots, persons, total, months):
        rows, per = [], max(1, total // len(persons))
        for i, participant in enumerate(persons):
            lot = lots[i % len(lots)]
            for month in months[:per]:
                rows.append(
                    Declaration(
                        participant=participant,
                        lot=lot,
                        month=month,
                        hours=Decimal(rng.choice([70, 100, 130, 151])),
                        modality=participant.modality,
                        coefficient=Decimal(1),
                        status="validated" if month.month < 10 else "declared",
                        validated_at=datetime.datetime(YEAR, 12, 1, tzinfo=datetime.UTC)
                        if month.month < 10
                        else None,
                        source="portal",
                    )
                )
        Declaration.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    big = operation("Grande opération du banc d'essai")
    big_lots = contracts_and_lots(big, contracts, "B")
    persons = people(participants)
    year_months = [datetime.date(YEAR, m, 1) for m in range(1, 13)]
    made = declare(big_lots, persons, declarations, year_months)
    typical = operation("Opération type (30 marchés)")
    typical_lots = contracts_and_lots(typical, 30, "T")
    two_years = [datetime.date(YEAR - 1 + (m // 12), m % 12 + 1, 1) for m in range(24)]
    made_typical = declare(typical_lots, people(80), 80 * 20, two_years)
    return membership, big, typical, made, made_typical


def timed(function, repeats):
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[max(0, int(len(durations) * 0.95) - 1)]


def report(label, figures):
    print(f"{label:<62} p50 {figures[0]:7.1f} ms   p95 {figures[1]:7.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--declarations", type=int, default=60000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tisserand.clauses import reports

    rng = random.Random(2026)
    started = time.perf_counter()
    membership, big, typical, made, made_typical = make_world(
        rng, args.contracts, args.participants, args.declarations
    )
    print(
        f"{connection.vendor}: {args.contracts} contracts ({2 * args.contracts} lots), "
        f"{args.participants} participants, {made} declarations in {YEAR}; typical operation "
        f"30 contracts, 80 participants, {made_typical} declarations; generated in "
        f"{time.perf_counter() - started:.1f} s"
    )
    scope = {"lot__contract__operation": big}

    def figures():
        return reports.yearly_report("Bilan", scope, YEAR)

    def with_pdf():
        return reports.report_pdf(figures())

    def with_xlsx():
        return reports.report_xlsx(figures())

    repeats = max(3, args.repeats // 3)
    report("yearly report, figures only (large operation)", timed(figures, args.repeats))
    report("yearly report, figures + PDF (weasyprint)", timed(with_pdf, repeats))
    report("yearly report, figures + XLSX", timed(with_xlsx, repeats))
    report(
        "national consolidation export (XLSX, whole structure)",
        timed(lambda: reports.national_xlsx(membership.structure, YEAR), repeats),
    )

    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["current_membership"] = str(membership.public_id)
    session.save()

    def page(operation):
        def request():
            response = client.get(f"/clauses/operations/{operation.public_id}/")
            assert response.status_code == 200

        return request

    for label, operation, count in (
        ("typical operation (60 lots)", typical, args.repeats),
        (f"large operation ({2 * args.contracts} lots)", big, repeats),
    ):
        page(operation)()
        with CaptureQueriesContext(connection) as queries:
            page(operation)()
        report(f"dashboard, {label}, {len(queries)} queries", timed(page(operation), count))


if __name__ == "__main__":
    main()
