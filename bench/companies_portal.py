"""Benchmark of the GPEC toolkit, the HR clubs and the leader portal.

    .venv/bin/python bench/companies_portal.py [--employees 60] [--positions 8]
        [--skills 10] [--clubs 300] [--repeats 10]

Runs on a temporary SQLite file (or DATABASE_URL when set: use a scratch database). Builds one
company with ``--positions`` positions of ``--skills`` skills each and ``--employees`` employees
rated on every skill of their position and a few others (a full matrix), and ``--clubs`` HR
clubs with members and sessions. Prints the median and p95 server-side time and the query
count of the portal pages (the leader's), the officer's club list, the matrix save, the PDF
synthesis and the XLSX export. Target for the pages: ≤ 150 ms median; the query counts do not
grow with the data (``tests/companies``).
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


def setup_django():
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["TISSERAND_SQLITE_PATH"] = str(path.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
    os.environ.setdefault("TISSERAND_LOG_LEVEL", "WARNING")
    os.environ.setdefault("TISSERAND_MFA_REQUIRED", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(args):
    from django.contrib.auth import get_user_model
    from stdnum import luhn

    from tisserand.companies import gpec
    from tisserand.companies.models import (
        Contact,
        Establishment,
        GpecLevel,
        HrClub,
        HrClubMember,
        HrClubSession,
        LeaderAccount,
        LegalUnit,
    )
    from tisserand.core.actor import Actor
    from tisserand.referentials.rome.models import Appellation, Fiche, FicheSkill, Skill
    from tisserand.structures.models import Membership, Structure
    from tisserand.structures.roles import Role

    rng = random.Random(11)
    User = get_user_model()
    structure = Structure.objects.create(
        name="Structure du banc", kind="maison_emploi", siret="99990000100011"
    )
    officer = User.objects.create_user(email="officer@banc.test", password="x")
    membership = Membership.objects.create(user=officer, structure=structure, role=Role.BUSINESS)
    actor = Actor.of(membership)

    def siret(n):
        siren = f"{77000000 + n:08d}"
        siren += luhn.calc_check_digit(siren)
        body = siren + "0001"
        return body + luhn.calc_check_digit(body)

    companies = []
    for n in range(max(args.clubs, 1) * 3):
        unit = LegalUnit.objects.create(siren=siret(n)[:9], name=f"Entreprise {n}")
        companies.append(
            Establishment.objects.create(
                legal_unit=unit, siret=siret(n), name=unit.name, search_name=unit.name.lower()
            )
        )
    company = companies[0]
    contact = Contact.objects.create(
        establishment=company, first_name="Claire", last_name="Dirigeante", email="c@banc.test"
    )
    leader = User.objects.create_user(email="leader@banc.test", password="x")
    LeaderAccount.objects.create(user=leader, establishment=company, contact=contact)
    positions = []
    for p in range(args.positions):
        fiche = Fiche.objects.create(
            code=f"K9{p:03d}",
            code_ogr=990000 + p,
            label=f"Fiche {p}",
            parent_code=f"K9{p:03d}",
            first_version="4.60",
        )
        appellation = Appellation.objects.create(
            code_ogr=980000 + p,
            label=f"Métier {p}",
            short_label=f"Métier {p}",
            fiche=fiche,
            classification="PRINCIPALE",
            search_text=f"metier {p}",
            first_version="4.60",
        )
        for s in range(args.skills):
            skill = Skill.objects.create(
                code_ogr=970000 + p * 100 + s,
                label=f"Compétence {p}.{s}",
                kind="savoir_faire",
                first_version="4.60",
            )
            FicheSkill.objects.create(
                fiche=fiche, skill=skill, rubrique=1, coeur_metier="principale" if s < 3 else ""
            )
        positions.append(gpec.add_position(company, data={"appellation": appellation}, actor=actor))
    year = date.today().year
    employees = [
        gpec.add_employee(
            company,
            data={
                "alias": f"Salarié {n}",
                "position": positions[n % len(positions)],
                "birth_year": year - rng.randint(20, 64),
                "hire_year": year - rng.randint(0, 5),
            },
            actor=actor,
        )
        for n in range(args.employees)
    ]
    rows = []
    for employee in employees:
        own = list(employee.position.skills.all())
        other = list(
            positions[(positions.index(employee.position) + 1) % len(positions)].skills.all()
        )
        for link in own + other[:3]:
            rows.append(
                GpecLevel(employee=employee, skill_id=link.skill_id, level=rng.randint(0, 3))
            )
    GpecLevel.objects.bulk_create(rows, ignore_conflicts=True)
    today = date.today()
    for c in range(args.clubs):
        club = HrClub.objects.create(name=f"Club {c}", structure=structure)
        for member in companies[c * 3 : c * 3 + 3] + ([company] if c < 3 else []):
            HrClubMember.objects.get_or_create(
                club=club, establishment=member, defaults={"joined_on": today}
            )
        for s in range(4):
            HrClubSession.objects.create(
                club=club, date=today + timedelta(days=7 * s - 7), title=f"Séance {s}"
            )
    return {"company": company, "leader": leader, "officer": membership, "levels": len(rows)}


def client_for(user, membership=None):
    from django.test import Client

    client = Client()
    client.force_login(user)
    if membership is not None:
        session = client.session
        session["current_membership"] = str(membership.public_id)
        session.save()
    return client


def measure(label, action, repeats):
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        action()
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    p95 = durations[max(int(len(durations) * 0.95) - 1, 0)]
    median = statistics.median(durations)
    print(f"{label:<52} median {median:7.1f} ms  p95 {p95:7.1f} ms  {len(queries):3d} queries")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=60)
    parser.add_argument("--positions", type=int, default=8)
    parser.add_argument("--skills", type=int, default=10)
    parser.add_argument("--clubs", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    built = build(args)
    print(
        f"Built in {time.perf_counter() - started:.1f} s: {args.employees} employees, "
        f"{args.positions} positions × {args.skills} skills, {built['levels']} levels, "
        f"{args.clubs} clubs"
    )
    from django.urls import reverse

    from tisserand.companies import gpec, gpec_analysis
    from tisserand.core.actor import Actor

    company = built["company"]
    leader = client_for(built["leader"])
    officer = client_for(built["officer"].user, built["officer"])
    public_id = company.public_id

    def get(client, name, *more):
        def action():
            response = client.get(
                reverse(name, args=[public_id, *more])
                if name.startswith("companies:portal") or "gpec" in name
                else reverse(name)
            )
            assert response.status_code == 200, (name, response.status_code)

        return action

    measure(
        "portal home of the company (leader)", get(leader, "companies:portal_company"), args.repeats
    )
    measure("portal HR clubs (leader)", get(leader, "companies:portal_clubs"), args.repeats)
    measure("GPEC synthesis page (leader)", get(leader, "companies:portal_gpec"), args.repeats)
    measure(
        "GPEC skills matrix page (leader)",
        get(leader, "companies:portal_gpec_matrix"),
        args.repeats,
    )

    def whole_grid():
        url = reverse("companies:portal_gpec_matrix", args=[public_id]) + "?poste=tous"
        assert leader.get(url).status_code == 200

    measure("GPEC skills matrix page, every cell (leader)", whole_grid, max(3, args.repeats // 3))
    measure(
        "GPEC employees page (leader)", get(leader, "companies:portal_gpec_employees"), args.repeats
    )
    measure("GPEC synthesis page (officer)", get(officer, "companies:gpec"), args.repeats)
    measure(
        f"HR club list, {args.clubs} clubs (officer)", get(officer, "companies:clubs"), args.repeats
    )
    data = gpec_analysis.load(company)
    cells = {key: (level + 1) % 4 for key, level in data.levels.items()}
    actor = Actor(built["leader"])
    measure(
        f"matrix save, {len(cells)} cells changed (service)",
        lambda: gpec.save_matrix(company, data=cells, actor=actor),
        max(3, args.repeats // 3),
    )
    measure(
        "XLSX export of the matrix (leader)",
        get(leader, "companies:portal_gpec_xlsx"),
        max(3, args.repeats // 3),
    )
    measure(
        "PDF synthesis (leader)",
        get(leader, "companies:portal_gpec_pdf"),
        max(3, args.repeats // 3),
    )


if __name__ == "__main__":
    main()
