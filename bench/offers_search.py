"""Benchmark of the offers search page: N offers (default 50,000), the median time of the
page's query set for searches by occupation + place + radius, and its query count (the same
whatever N). On PostgreSQL, the plan of the keyword search (the trigram index).

    .venv/bin/python bench/offers_search.py [--offers 50000] [--queries 100]
"""

import argparse
import random
import time

from offers_common import FICHE_CODES, load_offers, make_referentials, median_ms, setup_django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    setup_django()
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tisserand.opportunities import maps, search
    from tisserand.referentials.geo.models import Commune
    from tisserand.referentials.rome.models import Appellation

    rng = random.Random(13)
    make_referentials(rng)
    started = time.perf_counter()
    load_offers(
        rng, args.offers, [(c.insee_code, c.latitude, c.longitude) for c in Commune.objects.all()]
    )
    print(f"{args.offers} offres importées en {time.perf_counter() - started:.1f} s")
    appellations = {a.fiche.code: a for a in Appellation.objects.select_related("fiche")}
    communes = list(Commune.objects.all())

    def one(criteria):
        page = Paginator(search.search(criteria), 20).get_page(1)
        rows = list(page.object_list)
        maps.render(rows, search.point_of(criteria.commune))
        return page.paginator.count

    cases = {
        "métier + commune + 20 km": lambda: search.Criteria(
            appellation=appellations[rng.choice(FICHE_CODES)],
            commune=rng.choice(communes),
            radius_km=20,
        ),
        "commune + 10 km": lambda: search.Criteria(commune=rng.choice(communes), radius_km=10),
        "mots-clés": lambda: search.Criteria(text="metier " + rng.choice(FICHE_CODES).lower()),
        "sans critère": lambda: search.Criteria(),
    }
    for label, make in cases.items():
        samples = []
        for _ in range(args.queries):
            criteria = make()
            started = time.perf_counter()
            one(criteria)
            samples.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            found = one(make())
        print(
            f"{label} : médiane {median_ms(samples):.1f} ms, {len(queries)} requêtes, "
            f"{found} résultats (dernier essai)"
        )
        if label == "mots-clés" and connection.vendor == "postgresql":
            found = search.search(make())
            print("  page : " + " ; ".join(scans(connection, found[:20])))
            print("  count : " + " ; ".join(scans(connection, found.order_by().values("pk"))))


def scans(connection, queryset):
    """The scan nodes of the plan PostgreSQL chooses for ``queryset`` on the offers table."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        lines = [row[0].strip(" ->") for row in cursor.fetchall()]
    return [
        line.split("  (")[0]
        for line in lines
        if "Scan" in line and ("joboffer" in line or "opp_offer" in line)
    ]


if __name__ == "__main__":
    main()
