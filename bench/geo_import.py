"""Benchmark: import of communes, postal codes and bassins; commune search latency.

    .venv/bin/python bench/geo_import.py [--source ../shared/data/geo] [--queries 300]

Runs on a throw-away test database (temporary SQLite file, or a test database on the server
of DATABASE_URL). Times reading the four files with the csv module alone, the full import into
an empty database, an identical re-import (no change), then the commune picker's search on
typical queries (prefixes of names, postal codes) and prints its median and p95.
"""

import argparse
import csv
import io
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

QUERIES = [
    "ro",
    "roub",
    "roubaix",
    "lys lez",
    "lille",
    "st omer",
    "saint",
    "tourc",
    "villeneuve d'a",
    "wattrelos",
    "59100",
    "59",
    "591",
    "75011",
    "2a004",
    "marseille",
    "ecole",
    "la bassee",
    "hem",
    "croix",
]


def parse_only(directory):
    from tisserand.referentials.geo.files import find_file, read_bytes
    from tisserand.referentials.geo.territory import FORMATS

    rows = 0
    for fmt in FORMATS:
        text = read_bytes(find_file(directory, fmt.filename)).decode("utf-8")
        rows += sum(1 for _ in csv.reader(io.StringIO(text), delimiter=fmt.delimiter))
    return rows


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(ROOT.parent / "shared" / "data" / "geo"))
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    import django
    from django.conf import settings

    with tempfile.TemporaryDirectory() as folder:
        django.setup()
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3"):
            database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
        from django.db import connection

        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            run(args, connection.vendor)
        finally:
            connection.creation.destroy_test_db(database["NAME"], verbosity=0)


def run(args, vendor):
    from tisserand.referentials.geo.loader import shipped_directory
    from tisserand.referentials.geo.pickers import commune_picker
    from tisserand.referentials.geo.territory import import_territory

    parse, rows = timed(parse_only, args.source)
    full, (record, _notes) = timed(import_territory, args.source)
    again, _ = timed(import_territory, args.source)
    shipped, _ = timed(import_territory, shipped_directory())
    print(f"Communes : {rows} lignes lues dans 4 fichiers ; base de données : {vendor}")
    print(f"  lecture seule (module csv)        : {parse:6.2f} s")
    print(
        f"  import complet (base vide)        : {full:6.2f} s  = {full / parse:4.1f} × la lecture"
    )
    print(f"  réimport identique (aucun change.): {again:6.2f} s")
    print(f"  réimport depuis data/geo (.xz)    : {shipped:6.2f} s")
    print(
        f"  écrit : {record.communes} communes, {record.postal_codes} codes postaux, "
        f"{record.bassins} bassins"
    )

    durations = []
    for number in range(args.queries):
        query = QUERIES[number % len(QUERIES)]
        started = time.perf_counter()
        for commune in commune_picker.search(query, commune_picker.limit):
            commune_picker.label_of(commune)
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    p95 = durations[int(len(durations) * 0.95) - 1]
    print(
        f"  recherche du sélecteur de communes ({args.queries} requêtes) : "
        f"médiane {statistics.median(durations):.1f} ms, p95 {p95:.1f} ms, "
        f"max {durations[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
