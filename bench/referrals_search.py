"""Benchmark of the directory search: generate services at a region's scale, time searches.

    .venv/bin/python bench/referrals_search.py [--services 20000] [--queries 200]

Runs on a throwaway SQLite database (or on DATABASE_URL when set: use a scratch database).
Generates 600 communes of one département (most in one EPCI), ``--services`` services (one to
three thematics each, an eligibility zone of a commune, the EPCI, the département or France,
publics, reception modes, a fifth stale or hidden), then times what the search page does —
the count, the first page of 20 nearest services and their thematics — for four kinds of
search, and prints the median, the p95 and the query count of each. Target: ≤ 150 ms median.
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

CENTRE = (50.6879, 3.1826)  # Roubaix
SPREAD = 0.5
EPCI = "200093201"
BATCH = 5000
PUBLICS = ["jeunes", "femmes", "familles", "demandeurs-emploi", "seniors", "personnes-exilees"]
WORDS = ["atelier", "accompagnement", "permanence", "aide", "garde", "location", "conseil"]


def setup_django():
    if not os.environ.get("DATABASE_URL"):
        os.environ["TISSERAND_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
    os.environ.setdefault("TISSERAND_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_territory(rng, count=600):
    from tisserand.referentials.geo.models import Commune, Departement, Epci, Region

    region = Region.objects.create(code="32", name="Hauts-de-France")
    departement = Departement.objects.create(code="59", name="Nord", region=region)
    epci = Epci.objects.create(siren=EPCI, name="Métropole Européenne de Lille")
    communes = [
        Commune(
            insee_code=f"59{n:03d}",
            name=f"Commune {n}",
            search_name=f"commune {n}",
            departement=departement,
            epci=epci if n % 4 else None,
            latitude=CENTRE[0] + rng.uniform(-SPREAD, SPREAD),
            longitude=CENTRE[1] + rng.uniform(-SPREAD, SPREAD) * 1.5,
        )
        for n in range(1, count + 1)
    ]
    Commune.objects.bulk_create(communes)
    return list(Commune.objects.select_related("departement", "epci"))


def make_services(rng, communes, count):
    from tisserand.referrals.models import (
        DirectoryStructure,
        Service,
        ServiceThematic,
        ServiceZone,
        Thematic,
    )
    from tisserand.referrals.services import publics_key
    from tisserand.referrals.thematics import load_thematics

    load_thematics()
    thematics = list(Thematic.objects.filter(parent__isnull=False).values_list("pk", "label"))
    structures = DirectoryStructure.objects.bulk_create(
        DirectoryStructure(source="bench", source_id=f"s{n}", name=f"Structure {n}")
        for n in range(count // 10)
    )
    today = date.today()
    for start in range(0, count, BATCH):
        rows, picks = [], []
        for n in range(start, min(count, start + BATCH)):
            commune = rng.choice(communes)
            chosen = rng.sample(thematics, rng.randint(1, 3))
            publics = rng.sample(PUBLICS, rng.randint(0, 2))
            name = f"{rng.choice(WORDS).capitalize()} {chosen[0][1]} {n}"
            rows.append(
                Service(
                    structure=rng.choice(structures),
                    source="bench",
                    source_id=f"v{n}",
                    name=name,
                    description="Service de banc d'essai.",
                    commune=commune,
                    latitude=commune.latitude + rng.uniform(-0.01, 0.01),
                    longitude=commune.longitude + rng.uniform(-0.01, 0.01),
                    publics=publics,
                    publics_key=publics_key(publics),
                    on_site=True,
                    remote=rng.random() < 0.3,
                    updated_on=today - timedelta(days=rng.choice([5, 30, 90, 200, 300])),
                    search_text=f" {name.lower()} service de banc d essai ",
                )
            )
            picks.append((chosen, commune))
        created = Service.objects.bulk_create(rows)
        ServiceThematic.objects.bulk_create(
            ServiceThematic(service=service, thematic_id=pk)
            for service, (chosen, _) in zip(created, picks, strict=True)
            for pk, _ in chosen
        )
        zones = []
        for service, (_, commune) in zip(created, picks, strict=True):
            draw = rng.random()
            if draw < 0.4:
                zones.append(ServiceZone(service=service, kind="commune", code=commune.insee_code))
            elif draw < 0.8:
                zones.append(ServiceZone(service=service, kind="epci", code=EPCI))
            elif draw < 0.95:
                zones.append(ServiceZone(service=service, kind="departement", code="59"))
            else:
                zones.append(ServiceZone(service=service, kind="france", code="france"))
        ServiceZone.objects.bulk_create(zones)
    from tisserand.core.planner import refresh_statistics

    refresh_statistics(Service, ServiceThematic, ServiceZone)


def search_page(filters):
    """What the search page does: count, the first 20 rows, their thematics."""
    from django.core.paginator import Paginator

    from tisserand.referrals import selectors

    page = Paginator(selectors.search_services(filters), 20).get_page(1)
    for row in selectors.page_rows(page):
        list(row.thematics.all())
    return page.paginator.count


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tisserand.referrals.selectors import Filters

    rng = random.Random(15)
    started = time.perf_counter()
    communes = make_territory(rng)
    make_services(rng, communes, args.services)
    print(
        f"{connection.vendor} : {args.services} services générés en "
        f"{time.perf_counter() - started:.1f} s"
    )
    families = ["famille", "mobilite", "numerique", "sante", "se-former", "logement-hebergement"]
    kinds = {
        "thématique + commune (au plus près)": lambda: Filters(
            thematics=[rng.choice(families)], commune=rng.choice(communes)
        ),
        "thématique + commune + public + sur place": lambda: Filters(
            thematics=[rng.choice(families)],
            commune=rng.choice(communes),
            public=rng.choice(PUBLICS),
            on_site=True,
        ),
        "commune seule": lambda: Filters(commune=rng.choice(communes)),
        "texte libre + commune": lambda: Filters(
            text=rng.choice(WORDS), commune=rng.choice(communes)
        ),
        "sans critère": lambda: Filters(),
    }
    for label, make in kinds.items():
        durations, counts, queries = [], [], set()
        for _ in range(args.queries):
            filters = make()
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                counts.append(search_page(filters))
                durations.append((time.perf_counter() - begin) * 1000)
            queries.add(len(captured))
        print(
            f"{label:45} médiane {statistics.median(durations):6.1f} ms · p95 "
            f"{percentile(durations, 0.95):6.1f} ms · {statistics.median(counts):7.0f} résultats "
            f"(médiane) · requêtes {sorted(queries)}"
        )


if __name__ == "__main__":
    main()
