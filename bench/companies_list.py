"""Benchmark of the company list (/entreprises/) with 50,000 establishments, filtered and
paginated, and of the company page.

    .venv/bin/python bench/companies_list.py [--establishments 50000] [--repeats 30]
        [--reuse var/bench_companies.sqlite3]

Runs on a separate SQLite file (a temporary one, or ``--reuse PATH`` to build it once and
reuse it), or on DATABASE_URL when set (use a scratch database: the data is generated there).
Loads the shipped territory (communes, bassins, EPCI) and NAF, then generates the
establishments in the 95 communes of the MEL and a few hundred others of the Nord, across
every NAF sub-class, headcount band and flag, with tags and officers. Prints the median and
p95 server-side time (Django test client) and the query count of each page. Target: ≤ 150 ms
median, a query count that does not depend on the data.
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BATCH = 5000
WORDS = ["Atelier", "Filature", "Transports", "Boulangerie", "Conseil", "Bâtiment",
         "Services", "Logistique", "Tissages", "Menuiserie", "Épicerie", "Octet", "Solidaire",
         "Nord", "Flandres", "Roubaisien", "Lys", "Trichon", "Épeule", "Alma", "Pile"]  # fmt: skip


def setup_django(reuse):
    if not os.environ.get("DATABASE_URL"):
        path = reuse or str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
        print(f"SQLite database: {path}")
        os.environ["TISSERAND_SQLITE_PATH"] = path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
    os.environ.setdefault("TISSERAND_LOG_LEVEL", "WARNING")
    os.environ.setdefault("TISSERAND_MFA_REQUIRED", "false")
    os.environ.setdefault("TISSERAND_GEOCODER", "offline")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_referentials():
    from io import StringIO

    from django.conf import settings

    from tisserand.referentials.geo.loader import load_shipped_epcis, load_shipped_territory
    from tisserand.referentials.rome.importing import labour
    from tisserand.referentials.rome.models import NafSubclass

    out = StringIO()
    load_shipped_territory(out)
    load_shipped_epcis(out)
    if not NafSubclass.objects.exists():
        labour.import_naf(
            settings.BASE_DIR / "data/rome/labour/naf_labels.csv.xz",
            settings.BASE_DIR / "data/rome/labour/naf_section_labels.csv.xz",
        )


def make_members():
    from django.contrib.auth import get_user_model

    from tisserand.structures.demo import demo_siret
    from tisserand.structures.models import Membership, Structure
    from tisserand.structures.roles import Role

    structure = Structure.objects.create(
        name="Structure du banc d'essai",
        kind="maison_emploi",
        siret=demo_siret(9101),
        address_line="1 rue du Banc",
        postal_code="59100",
        commune_name="Roubaix",
    )
    users = get_user_model().objects
    members = [
        Membership.objects.create(
            user=users.create_user(email=f"banc-entreprises-{n}@exemple.test", password="x"),
            structure=structure,
            role=Role.BUSINESS,
        )
        for n in range(5)
    ]
    return members


def make_establishments(rng, count, officers):
    from stdnum import luhn

    from tisserand.companies.models import Establishment, LegalUnit, Tag
    from tisserand.core.text import fold
    from tisserand.referentials.geo.models import Commune
    from tisserand.referentials.rome.models import NafSubclass

    mel = list(Commune.objects.filter(epci__siren="200093201").values_list("pk", flat=True))
    nord = list(
        Commune.objects.filter(departement__code="59", is_former=False)
        .exclude(pk__in=mel)
        .values_list("pk", flat=True)[:300]
    )
    nafs = list(NafSubclass.objects.values_list("pk", flat=True))
    bands = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41"]
    tags = [Tag.objects.create(label=f"Étiquette {n}") for n in range(20)]
    units, establishments = [], []
    for n in range(count):
        body = f"7{n:07d}"
        siren = body + luhn.calc_check_digit(body)
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
        units.append(LegalUnit(siren=siren, name=name))
    for start in range(0, len(units), BATCH):
        LegalUnit.objects.bulk_create(units[start : start + BATCH])
    unit_ids = dict(LegalUnit.objects.values_list("siren", "pk"))
    for unit in units:
        body = f"{unit.siren}00012"[:13]
        siret = body + luhn.calc_check_digit(body)
        closed = rng.random() < 0.08
        establishments.append(
            Establishment(
                legal_unit_id=unit_ids[unit.siren],
                siret=siret,
                name="",
                search_name=fold(unit.name),
                naf_id=rng.choice(nafs),
                headcount_band=rng.choice(bands),
                is_head_office=True,
                state="F" if closed else "A",
                address_line=f"{rng.randint(1, 200)} rue du Banc",
                postal_code="59100",
                commune_id=rng.choice(mel) if rng.random() < 0.7 else rng.choice(nord),
                insertion_kind="EI" if rng.random() < 0.02 else "",
                adapted_kind="EA" if rng.random() < 0.01 else "",
                is_geiq=rng.random() < 0.005,
                is_social_economy=rng.random() < 0.05,
                officer_id=rng.choice(officers).user_id if rng.random() < 0.3 else None,
                source="sirene",
            )
        )
    for start in range(0, len(establishments), BATCH):
        Establishment.objects.bulk_create(establishments[start : start + BATCH])
    through = Establishment.tags.through
    ids = list(Establishment.objects.values_list("pk", flat=True))
    links = [through(establishment_id=pk, tag_id=rng.choice(tags).pk) for pk in ids[::3]]
    for start in range(0, len(links), BATCH):
        through.objects.bulk_create(links[start : start + BATCH])


def timed(function, repeats):
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[max(int(len(durations) * 0.95) - 1, 0)]


@contextmanager
def counting(connection):
    """The queries the block sends (a list of their SQL)."""
    sent = []

    def wrapper(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield sent


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
    parser.add_argument("--establishments", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--reuse", help="an SQLite file a previous run generated (no generation)")
    args = parser.parse_args()
    setup_django(args.reuse)

    from django.db import connection

    from tisserand.companies.models import Establishment, Tag
    from tisserand.core.planner import refresh_statistics
    from tisserand.referentials.geo.models import BassinEmploi, Commune, Epci
    from tisserand.structures.models import Membership
    from tisserand.structures.roles import Role

    rng = random.Random(2026)
    started = time.perf_counter()
    if args.reuse and Establishment.objects.exists():
        members = list(Membership.objects.filter(role=Role.BUSINESS).order_by("pk"))
    else:
        load_referentials()
        members = make_members()
        make_establishments(rng, args.establishments, members)
        refresh_statistics(Establishment)
    print(
        f"{connection.vendor}: {Establishment.objects.count()} establishments "
        f"({Establishment.objects.filter(state='A').count()} active), generated or read in "
        f"{time.perf_counter() - started:.1f} s"
    )
    client = client_for(members[0])
    mel = Epci.objects.get(siren="200093201")
    bassin = BassinEmploi.objects.get(code="3217")
    sample = Establishment.objects.order_by("pk")[args.establishments // 2]
    cases = [
        ("list, active, page 1", {}),
        ("list, page 200", {"page": 200}),
        ("list, search by name « filature nord »", {"q": "filature nord"}),
        ("list, search by SIRET", {"q": sample.siret}),
        ("list, search by SIREN", {"q": sample.siret[:9]}),
        ("list, commune Roubaix", {"commune": "59512"}),
        ("list, EPCI MEL", {"epci": mel.pk}),
        ("list, bassin Roubaix-Tourcoing", {"bassin": bassin.pk}),
        ("list, NAF section C", {"naf_section": "C"}),
        ("list, NAF 62.01Z", {"naf": "62.01Z"}),
        ("list, headcount 12", {"headcount_band": "12"}),
        ("list, SIAE", {"flag": "siae"}),
        ("list, tag", {"tag": Tag.objects.order_by("pk").first().pk}),
        ("list, officer", {"officer": members[0].user_id}),
        ("list, closed", {"state": "fermees"}),
        ("list, EPCI + section C + band 11 + name", {"epci": mel.pk, "naf_section": "C",
                                                    "headcount_band": "11", "q": "atelier"}),
    ]  # fmt: skip
    from tisserand.referentials.rome.models import NafSection

    section_c = NafSection.objects.get(code="C").pk
    print(f"{'page':<58} {'p50':>10} {'p95':>12} {'queries':>8} {'rows':>7}")
    medians = []
    for label, params in cases:
        params = {
            k: (section_c if v == "C" and k == "naf_section" else v) for k, v in params.items()
        }
        with counting(connection) as queries:
            response = client.get("/entreprises/", params)
        assert response.status_code == 200, (label, response.status_code)
        found = re.search(r"<caption>([0-9]+) établissement", response.content.decode())
        rows = int(found.group(1)) if found else 0
        p50, p95 = timed(lambda params=params: client.get("/entreprises/", params), args.repeats)
        medians.append(p50)
        print(f"{label:<58} {p50:7.1f} ms {p95:9.1f} ms {len(queries):8d} {rows:7d}")
    page = f"/entreprises/{sample.public_id}/"
    with counting(connection) as queries:
        assert client.get(page).status_code == 200
    p50, p95 = timed(lambda: client.get(page), args.repeats)
    print(f"{'company page':<58} {p50:7.1f} ms {p95:9.1f} ms {len(queries):8d}")
    print(f"worst list median: {max(medians):.1f} ms (target ≤ 150 ms)")
    assert Commune.objects.exists()


if __name__ == "__main__":
    main()
