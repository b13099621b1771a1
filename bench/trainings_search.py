"""Benchmark of the training search: generate a LHÉO catalogue, import it, time searches.

    .venv/bin/python bench/trainings_search.py [--sessions 20000] [--queries 300]

Runs on a throwaway SQLite database (or on DATABASE_URL when set: use a scratch database).
Prints the import time and the p50/p95 of searches by ROME code + radius around a commune.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROME_POOL = [f"{letter}{number:04d}" for letter in "DGHKMN" for number in range(1101, 1110)]
CENTRE = (50.6879, 3.1826)  # Roubaix
SPREAD_DEGREES = 0.8  # about ±90 km in latitude


def setup_django():
    if not os.environ.get("DATABASE_URL"):
        os.environ["TISSERAND_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
    os.environ.setdefault("TISSERAND_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_communes(rng, count=600):
    from tisserand.referentials.geo.models import Commune

    communes = [
        Commune(
            insee_code=f"59{n:03d}",
            name=f"Commune {n}",
            search_name=f"commune {n}",
            latitude=CENTRE[0] + rng.uniform(-SPREAD_DEGREES, SPREAD_DEGREES),
            longitude=CENTRE[1] + rng.uniform(-SPREAD_DEGREES, SPREAD_DEGREES) * 1.5,
        )
        for n in range(1, count + 1)
    ]
    Commune.objects.bulk_create(communes)
    return {c.insee_code: (c.latitude, c.longitude) for c in communes}


def _address(insee, point):
    geo = (
        f"<geolocalisation><latitude>{point[0]:.6f}</latitude>"
        f"<longitude>{point[1]:.6f}</longitude></geolocalisation>"
        if point
        else ""
    )
    return (
        f"<adresse><ligne>1 rue du Banc d'essai</ligne><codepostal>59000</codepostal>"
        f"<ville>Commune {insee}</ville><code-INSEE-commune>{insee}</code-INSEE-commune>"
        f"{geo}</adresse>"
    )


def _session(number, rng, insee, point):
    start = 20270101 + rng.randrange(0, 11) * 100 + rng.randrange(0, 27)
    return (
        f'<session numero="S{number}"><periode><debut>{start}</debut><fin>{start + 10000}</fin>'
        f"</periode><adresse-inscription>{_address(insee, point)}</adresse-inscription></session>"
    )


def _formation(number, rng, communes, sessions_per_formation, siret):
    codes = rng.sample(ROME_POOL, rng.randint(1, 3))
    actions, session_number = [], number * 100
    for action_number in range(2):
        insee = rng.choice(list(communes))
        centroid = communes[insee]
        point = (
            None
            if rng.random() < 0.3
            else (centroid[0] + rng.uniform(-0.01, 0.01), centroid[1] + rng.uniform(-0.01, 0.01))
        )
        sessions = "".join(
            _session(session_number + i, rng, insee, point)
            for i in range(sessions_per_formation // 2)
        )
        session_number += 10
        actions.append(
            f'<action numero="A{number}-{action_number}"><rythme-formation>Temps plein'
            "</rythme-formation><code-public-vise>83056</code-public-vise>"
            "<niveau-entree-obligatoire>0</niveau-entree-obligatoire>"
            "<modalites-alternance>-</modalites-alternance><modalites-enseignement>0"
            "</modalites-enseignement><conditions-specifiques>-</conditions-specifiques>"
            "<prise-en-charge-frais-possible>1</prise-en-charge-frais-possible>"
            f"<lieu-de-formation><coordonnees>{_address(insee, point)}</coordonnees>"
            "</lieu-de-formation><modalites-entrees-sorties>0</modalites-entrees-sorties>"
            f"{sessions}<prix-total-TTC>{rng.randint(500, 9000)}</prix-total-TTC>"
            f"<nombre-heures-total>{rng.randint(35, 1200)}</nombre-heures-total></action>"
        )
    return (
        f'<formation numero="F{number}"><domaine-formation>'
        + "".join(f"<code-ROME>{code}</code-ROME>" for code in codes)
        + f"</domaine-formation><intitule-formation>Formation de banc d'essai {number}"
        "</intitule-formation><objectif-formation>Objectif.</objectif-formation>"
        "<resultats-attendus>Résultats.</resultats-attendus><contenu-formation>Contenu."
        f"</contenu-formation><certifiante>{rng.randint(0, 1)}</certifiante>"
        "<contact-formation><coordonnees/></contact-formation>"
        "<parcours-de-formation>1</parcours-de-formation><code-niveau-entree>0"
        "</code-niveau-entree>"
        + "".join(actions)
        + "<organisme-formation-responsable><numero-activite>32590000000</numero-activite>"
        f"<SIRET-organisme-formation><SIRET>{siret}</SIRET></SIRET-organisme-formation>"
        "<nom-organisme>Organisme de banc d'essai</nom-organisme><raison-sociale>-"
        "</raison-sociale><coordonnees-organisme><coordonnees/></coordonnees-organisme>"
        "<contact-organisme><coordonnees/></contact-organisme>"
        "</organisme-formation-responsable></formation>"
    )


def catalogue(rng, communes, sessions, sessions_per_formation=4):
    formations = max(1, sessions // sessions_per_formation)
    siret = "90000001900019"
    body = "".join(
        _formation(n, rng, communes, sessions_per_formation, siret) for n in range(formations)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<lheo xmlns="http://lheo.gouv.fr/2.3"><offres>'
        f"{body}</offres></lheo>"
    ).encode()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(function, count):
    durations, sizes = [], []
    for _ in range(count):
        started = time.perf_counter()
        size = function()
        durations.append((time.perf_counter() - started) * 1000)
        sizes.append(size)
    return durations, sizes


def report(label, durations, sizes):
    print(
        f"{label:<52} p50 {statistics.median(durations):7.1f} ms   "
        f"p95 {percentile(durations, 0.95):7.1f} ms   "
        f"(résultats : {statistics.median(sizes):.0f} en médiane)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    setup_django()
    from django.core.paginator import Paginator

    from tisserand.referentials.trainings.importer import import_lheo
    from tisserand.referentials.trainings.models import Session, Training
    from tisserand.referentials.trainings.services import search_trainings

    rng = random.Random(42)
    communes = make_communes(rng)
    data = catalogue(rng, communes, args.sessions)
    started = time.perf_counter()
    result = import_lheo(data, "banc-essai.xml")
    import_seconds = time.perf_counter() - started
    sessions = Session.objects.count()
    print(
        f"Catalogue : {Training.objects.count()} formations, {sessions} sessions, "
        f"{len(data) / 1e6:.1f} Mo de XML"
    )
    print(f"Import : {import_seconds:.1f} s ({sessions / import_seconds:,.0f} sessions/s)")
    started = time.perf_counter()
    import_lheo(data, "banc-essai.xml")
    print(f"Réimport identique (rien à écrire) : {time.perf_counter() - started:.1f} s")
    assert result.counts["sessions"]["created"] == sessions

    codes = list(communes)

    def rome_and_radius(radius):
        def run():
            search = search_trainings(
                rome_codes=rng.sample(ROME_POOL, rng.randint(1, 2)),
                commune_insee=rng.choice(codes),
                radius_km=radius,
            )
            list(Paginator(search, 20).get_page(1))
            return len(search)

        return run

    def rome_only():
        search = search_trainings(rome_codes=[rng.choice(ROME_POOL)])
        list(Paginator(search, 20).get_page(1))
        return len(search)

    print(f"Recherche ({args.queries} requêtes chacune, première page de 20 chargée) :")
    for radius in (10, 30, 50):
        report(
            f"  code ROME + rayon {radius} km autour d'une commune",
            *timed(rome_and_radius(radius), args.queries),
        )
    report("  code ROME seul", *timed(rome_only, args.queries))


if __name__ == "__main__":
    main()
