"""Benchmark: server-side time of the job-title search over all 13,120 ROME appellations.

    .venv/bin/python bench/rome_autocomplete.py [--queries 2000] [--source ../shared/data/rome]

Imports the ROME pack into a throw-away test database, then replays queries as people type
them (each prefix of one or two words of real titles, plus titles with a typo), measuring:
- the search service (index lookup + fetching the titles and their fiches);
- the whole request of the appellation picker (/choix/appellation/, through the middleware,
  the permission check and the template), as the htmx autocomplete calls it.
Prints p50 / p95 / max (target: p95 ≤ 30 ms).
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
os.environ.setdefault("TISSERAND_ENV", "test")


def typed_queries(labels, count, seed=20):
    """Prefixes as typed (3 characters and more) and a few typos, from real titles."""
    generator = random.Random(seed)
    queries = []
    while len(queries) < count:
        words = generator.choice(labels).split(" / ")[0].split()[:2]
        text = " ".join(words)
        queries.extend(text[:end] for end in range(3, len(text) + 1, 2))
        if len(text) > 5:
            at = generator.randrange(1, len(text) - 2)
            queries.append(text[:at] + text[at + 1] + text[at] + text[at + 2 :])
    return queries[:count]


def percentiles(samples):
    ordered = sorted(samples)
    return (
        statistics.median(ordered) * 1000,
        ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        ordered[-1] * 1000,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--source", default=str(ROOT.parent / "shared" / "data" / "rome"))
    args = parser.parse_args()

    import django
    from django.conf import settings

    with tempfile.TemporaryDirectory() as folder:
        django.setup()
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3"):
            database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
        settings.ALLOWED_HOSTS = ["testserver"]
        from django.db import connection

        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(args, connection.vendor)
        finally:
            connection.creation.destroy_test_db(database["NAME"], verbosity=0)


def run(args, vendor):
    from django.test import Client

    from tests.factories import MembershipFactory
    from tisserand.referentials.rome import search
    from tisserand.referentials.rome.importing.rome_import import import_rome
    from tisserand.referentials.rome.models import Appellation

    import_rome(args.source)
    labels = list(Appellation.objects.values_list("label", flat=True))
    queries = typed_queries(labels, args.queries)

    start = time.perf_counter()
    search.appellation_index()
    build = time.perf_counter() - start

    service = []
    for query in queries:
        start = time.perf_counter()
        search.search_appellations(query, 10, partial=False)
        service.append(time.perf_counter() - start)

    membership = MembershipFactory()
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["current_membership"] = str(membership.public_id)
    session.save()
    requests = []
    for query in queries:
        start = time.perf_counter()
        response = client.get(
            "/choix/appellation/",
            {"champ": "metier", "metier": query, "id": "id_metier"},
            HTTP_HX_REQUEST="true",
        )
        requests.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code

    print(f"{len(labels)} appellations, {len(queries)} requêtes tapées (base : {vendor})")
    print(f"  construction de l'index (une fois par processus) : {build * 1000:.0f} ms")
    for name, samples in (("service de recherche", service), ("requête du sélecteur", requests)):
        p50, p95, worst = percentiles(samples)
        verdict = "atteinte" if p95 <= 30 else "MANQUÉE"
        print(
            f"  {name:22s} p50 {p50:5.1f} ms   p95 {p95:5.1f} ms   max {worst:6.1f} ms"
            f"   (cible p95 ≤ 30 ms : {verdict})"
        )


if __name__ == "__main__":
    main()
