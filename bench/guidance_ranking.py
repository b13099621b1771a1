"""Benchmark of the guidance engine: speed and quality, on the shipped ROME 4.60 and labour data.

    .venv/bin/python bench/guidance_ranking.py [--profiles 200] [--quality-sample 1] [--requests 60]

Runs on a throw-away test database (a temporary SQLite file, or a test database on the
PostgreSQL server of DATABASE_URL), loaded with the reference data the project ships (ROME,
NAF, hirings, tensions, communes). Prints:

- the time to load the catalogue from the database (once per process and ROME version);
- ranking all fiches for one profile (the engine alone, then with the French explanations of
  the first 20): median and p95 over profiles built from real job titles (target ≤ 20 ms);
- the public results page, server side, through Django's test client (target ≤ 200 ms);
- quality: for a profile built from a single held job (its skills, its RIASEC code and interest
  centres), how many of that job's official mobilities rank in the top 10 and top 20 when the
  mobility signal is off (skills and interests alone), then on. ``--quality-sample k`` takes one
  fiche in k (1 = all 1,584).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
os.environ.setdefault("TISSERAND_ENV", "test")
ROUBAIX = "59512"


def quiet():
    class Sink:
        def write(self, text):
            pass

    return Sink()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def ms(seconds):
    return f"{seconds * 1000:7.2f} ms"


def load_reference_data():
    from tisserand.referentials.geo.loader import load_shipped_territory
    from tisserand.referentials.rome.loader import load as load_rome
    from tisserand.referentials.vocabularies.loading import load_vocabularies

    started = time.perf_counter()
    load_shipped_territory(quiet())
    load_rome(quiet())
    load_vocabularies()
    return time.perf_counter() - started


def profiles(catalogue, count):
    """Profiles of real persons' shape: one held job (its skills), a commune, a RIASEC code."""
    from tisserand.guidance.engine import HeldJob, Profile

    step = max(1, len(catalogue) // count)
    chosen = catalogue.occupations[::step][:count]
    return [
        Profile(
            held_jobs=(HeldJob(o.code, o.label, 3.0, True),),
            skills=frozenset(o.skills),
            interests=frozenset(o.main_interests),
            riasec=o.riasec,
            qualification_level=3,
        )
        for o in chosen
    ]


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def bench_ranking(catalogue, demand, count):
    from tisserand.guidance.engine import rank

    engine_times, explained_times = [], []
    for profile in profiles(catalogue, count):
        elapsed, ranking = timed(rank, catalogue, profile, demand=demand)
        engine_times.append(elapsed)
        elapsed_top, _ = timed(ranking.top, 20)
        explained_times.append(elapsed + elapsed_top)
    return engine_times, explained_times


def bench_public_page(catalogue, requests):
    from django.test import Client
    from django.urls import reverse

    from tisserand.guidance import loading, ratelimit
    from tisserand.guidance.profiles import JobEntry, ProfileData

    ratelimit.PAGES = (10**9, 60)
    by_fiche = {}
    for code, (_, fiche) in sorted(loading.appellation_index().items()):
        by_fiche.setdefault(fiche, code)
    client = Client()
    times = []
    step = max(1, len(catalogue) // requests)
    for occupation in catalogue.occupations[::step][:requests]:
        data = ProfileData(
            jobs=[JobEntry(by_fiche[occupation.code], 3.0, True)],
            skills=list(occupation.skills),
            riasec_code=occupation.riasec,
            commune=ROUBAIX,
            radius_km=20,
        )
        url = f"{reverse('guidance:results')}?p={data.to_token()}"
        elapsed, response = timed(client.get, url)
        assert response.status_code == 200, response.status_code
        times.append(elapsed)
    return times


def quality(catalogue, weights, sample, with_interests=True):
    from tisserand.guidance.engine import HeldJob, Profile, rank

    found_10 = found_20 = total = 0
    occupations = catalogue.occupations[::sample]
    for occupation in occupations:
        profile = Profile(
            held_jobs=(HeldJob(occupation.code),),
            skills=frozenset(occupation.skills),
            riasec=occupation.riasec if with_interests else "",
            interests=frozenset(occupation.interests) if with_interests else frozenset(),
        )
        codes = rank(catalogue, profile, weights=weights).codes()
        targets = set(occupation.mobilities)
        found_10 += len(targets & set(codes[:10]))
        found_20 += len(targets & set(codes[:20]))
        total += len(targets)
    return len(occupations), total, found_10, found_20


def top_ten_composition(catalogue, sample):
    """What the skills-only top 10 is made of: official mobilities, the same ROME family
    (parent, child or sibling fiches, which the graph does not list), reverse mobilities."""
    from tisserand.guidance.engine import HeldJob, Profile, Weights, rank
    from tisserand.referentials.rome.models import Fiche

    parent = dict(Fiche.objects.values_list("code", "parent_code"))
    targets = {o.code: set(o.mobilities) for o in catalogue.occupations}
    counts = {"mobility": 0, "family": 0, "reverse": 0, "all": 0}
    for occupation in catalogue.occupations[::sample]:
        profile = Profile(
            held_jobs=(HeldJob(occupation.code),), skills=frozenset(occupation.skills)
        )
        source = occupation.code
        for code in rank(catalogue, profile, weights=Weights().only("skills")).codes()[:10]:
            counts["all"] += 1
            if code in targets[source]:
                counts["mobility"] += 1
            elif (
                parent[code] == parent[source]
                or source in (code, parent[code])
                or (code == parent[source])
            ):
                counts["family"] += 1
            elif source in targets[code]:
                counts["reverse"] += 1
    return {key: value / counts["all"] for key, value in counts.items() if key != "all"}


def print_quality(label, result):
    fiches, total, top10, top20 = result
    print(
        f"  {label:<44} top 10 : {top10 / fiches:4.2f} / fiche ({top10 / total:5.1%})"
        f"   top 20 : {top20 / fiches:4.2f} / fiche ({top20 / total:5.1%})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--quality-sample", type=int, default=1)
    args = parser.parse_args()

    import django
    from django.conf import settings

    with tempfile.TemporaryDirectory() as folder:
        django.setup()
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3"):
            database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
        from django.db import connection

        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(args, connection.vendor)
        finally:
            connection.creation.destroy_test_db(database["NAME"], verbosity=0)


def run(args, vendor):
    from tisserand.guidance import loading
    from tisserand.guidance.engine import Weights

    loaded = load_reference_data()
    load_time, catalogue = timed(loading.current_catalogue)
    area = loading.area_of(ROUBAIX)
    demand_time, demand = timed(loading.demand_for, area.bassin_code, area.bassin_label)
    print(f"Orientation — ROME {catalogue.version}, {len(catalogue)} fiches, base {vendor}")
    print(f"  chargement des données de référence livrées : {loaded:6.1f} s")
    print(f"  catalogue chargé depuis la base (une fois)  : {load_time:6.2f} s")
    print(f"  demande du bassin {area.bassin_code} (une fois)          : {demand_time:6.2f} s")

    engine, explained = bench_ranking(catalogue, demand, args.profiles)
    print(f"Classement de toutes les fiches pour un profil ({len(engine)} profils)")
    print(
        f"  moteur seul          : médiane {ms(statistics.median(engine))}, "
        f"p95 {ms(percentile(engine, 0.95))}"
    )
    print(
        f"  + explications (20)  : médiane {ms(statistics.median(explained))}, "
        f"p95 {ms(percentile(explained, 0.95))}   (cible : médiane ≤ 20 ms)"
    )

    page = bench_public_page(catalogue, args.requests)
    print(f"Page publique des résultats ({len(page)} requêtes, serveur, à chaud)")
    print(
        f"  médiane {ms(statistics.median(page))}, p95 {ms(percentile(page, 0.95))}"
        "   (cible : ≤ 200 ms)"
    )

    print(
        "Qualité : mobilités officielles du métier exercé retrouvées dans le top 10 / top 20 "
        f"(1 fiche sur {args.quality_sample})"
    )
    base = Weights()
    print_quality(
        "compétences seules, mobilité coupée",
        quality(catalogue, base.only("skills"), args.quality_sample, False),
    )
    print_quality(
        "compétences + intérêts, mobilité coupée",
        quality(catalogue, base.only("skills", "interests"), args.quality_sample),
    )
    print_quality(
        "compétences + intérêts + mobilité",
        quality(catalogue, base.only("skills", "interests", "mobility"), args.quality_sample),
    )
    shares = top_ten_composition(catalogue, args.quality_sample)
    print(
        f"  top 10 des compétences seules : {shares['mobility']:.0%} mobilités officielles, "
        f"{shares['family']:.0%} même famille ROME (fiche parente, fille ou sœur), "
        f"{shares['reverse']:.0%} mobilités dans l'autre sens"
    )
    mean = sum(len(o.mobilities) for o in catalogue.occupations) / len(catalogue)
    print(f"  ({mean:.1f} mobilités officielles par fiche en moyenne ; le métier exercé est exclu)")


if __name__ == "__main__":
    main()
