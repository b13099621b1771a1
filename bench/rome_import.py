"""Benchmark: full ROME 4.0 import vs merely parsing the same files with the csv module.

    .venv/bin/python bench/rome_import.py [--rounds 3] [--source ../shared/data/rome]

Runs on a throw-away test database (a temporary SQLite file, or a test database on the
PostgreSQL server of DATABASE_URL). Each round parses the files, then imports into an empty
database, then re-imports (idempotent: nothing changes). Prints the median times and the
ratio import / parse (target ≤ 3×, and ≤ 60 s).
"""

import argparse
import csv
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


def parse_only(files):
    """What the csv module alone costs: every record of every file the import reads."""
    count = 0
    for source in files:
        with open(source, newline="", encoding="utf-8") as handle:
            count += sum(1 for _ in csv.reader(handle))
    return count


def parse_into_lists(files):
    """The csv module again, keeping every record in memory (as an import must)."""
    tables = []
    for source in files:
        with open(source, newline="", encoding="utf-8") as handle:
            tables.append(list(csv.reader(handle)))
    return sum(map(len, tables))


def empty_tables():
    from django.db import connection

    from tisserand.referentials.rome import models

    with connection.cursor() as cursor:
        for model in (
            models.FicheInterest,
            models.Mobility,
            models.FicheContext,
            models.FicheSkill,
            models.Appellation,
            models.Skill,
            models.WorkContext,
            models.InterestCentre,
            models.Hiring,
            models.BassinTension,
            models.FapTension,
            models.Fiche,
            models.ImportRun,
        ):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--source", default=str(ROOT.parent / "shared" / "data" / "rome"))
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
    from tisserand.referentials.rome.importing.rome_import import import_rome
    from tisserand.referentials.rome.importing.rome_pack import locate_files

    _, files = locate_files(args.source)
    paths = [source.path for source in files.values()]
    size = sum(path.stat().st_size for path in paths) / 1e6
    parse_times, list_times, import_times, reimport_times = [], [], [], []
    for _ in range(args.rounds):
        empty_tables()
        elapsed, records = timed(parse_only, paths)
        parse_times.append(elapsed)
        list_times.append(timed(parse_into_lists, paths)[0])
        elapsed, run_ = timed(import_rome, args.source)
        import_times.append(elapsed)
        elapsed, _ = timed(import_rome, args.source)
        reimport_times.append(elapsed)
    parse, full, again = (
        statistics.median(parse_times),
        statistics.median(import_times),
        statistics.median(reimport_times),
    )
    counts = run_.stats["lignes"]
    print(f"ROME {run_.version} — {len(paths)} fichiers, {size:.1f} Mo, {records} enregistrements")
    print(f"base de données : {vendor} ; {args.rounds} tours, médianes")
    lists = statistics.median(list_times)
    print(f"  lecture seule (module csv)   : {parse:6.2f} s")
    print(f"  lecture gardée en listes     : {lists:6.2f} s  (pour information)")
    print(f"  import complet (base vide)   : {full:6.2f} s  = {full / parse:4.1f} × la lecture")
    print(f"  réimport identique (no-op)   : {again:6.2f} s  = {again / parse:4.1f} × la lecture")
    print("  lignes écrites : " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    print(
        f"  cibles : ≤ 3 × la lecture ({'atteinte' if full <= 3 * parse else 'MANQUÉE'}), "
        f"≤ 60 s ({'atteinte' if full <= 60 else 'MANQUÉE'})"
    )


if __name__ == "__main__":
    main()
