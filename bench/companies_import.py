"""Benchmark of the SIRENE stock import: 50,000 establishment lines, with its ratio to reading
the same file with ``csv`` alone, measured in the same run.

    .venv/bin/python bench/companies_import.py [--lines 50000] [--reuse var/bench_import.sqlite3]

Runs on a separate SQLite file (a temporary one, or ``--reuse PATH``: the referentials are
loaded once, the companies emptied before each run), or on DATABASE_URL when set (use a
scratch database). Writes a SIRENE establishment stock CSV (the real column names, NAF written
62.01Z, some closed and non-diffusible establishments) in the communes of the Nord, then
prints: reading with ``csv.DictReader`` alone; the preview (whole file checked, nothing
written); the first import (preview + writing, every record created with its timeline event);
a re-import of the same file (every line unchanged, nothing written); an update of a tenth of
the lines. Target: ≤ 30 s for 50,000 lines.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = [
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
    "trancheEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement", "etablissementSiege", "nombrePeriodesEtablissement",
    "complementAdresseEtablissement", "numeroVoieEtablissement", "indiceRepetitionEtablissement",
    "typeVoieEtablissement", "libelleVoieEtablissement", "codePostalEtablissement",
    "libelleCommuneEtablissement", "codeCommuneEtablissement", "etatAdministratifEtablissement",
    "enseigne1Etablissement", "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
]  # fmt: skip
WAYS = ["RUE", "AV", "BD", "PL", "CHE", "IMP", "QUAI", "RTE"]
STREETS = ["DE LANNOY", "JEAN JAURES", "GAMBETTA", "DE LA PAIX", "NATIONALE", "DU TRICHON"]
BANDS = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "", ""]


def setup_django(reuse):
    if not os.environ.get("DATABASE_URL"):
        path = reuse or str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
        print(f"SQLite database: {path}")
        os.environ["TISSERAND_SQLITE_PATH"] = path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
    os.environ.setdefault("TISSERAND_LOG_LEVEL", "WARNING")
    os.environ.setdefault("TISSERAND_MFA_REQUIRED", "false")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in production: no query log kept in memory.
    settings.DEBUG = False

    call_command("migrate", verbosity=0)


def load_referentials():
    from django.conf import settings

    from tisserand.referentials.geo.loader import load_shipped_epcis, load_shipped_territory
    from tisserand.referentials.rome.importing import labour
    from tisserand.referentials.rome.models import NafSubclass

    out = io.StringIO()
    load_shipped_territory(out)
    load_shipped_epcis(out)
    if not NafSubclass.objects.exists():
        labour.import_naf(
            settings.BASE_DIR / "data/rome/labour/naf_labels.csv.xz",
            settings.BASE_DIR / "data/rome/labour/naf_section_labels.csv.xz",
        )


def stock_file(rng, lines):
    """A SIRENE establishment stock of ``lines`` establishments of the Nord, as bytes."""
    from stdnum import luhn

    from tisserand.referentials.geo.models import Commune
    from tisserand.referentials.rome.models import NafSubclass

    communes = list(
        Commune.objects.filter(departement__code="59", is_former=False, postal_codes__isnull=False)
        .values_list("insee_code", "name", "postal_codes__code")
        .distinct()
    )
    nafs = [f"{code[:2]}.{code[2:]}" for code in NafSubclass.objects.values_list("code", flat=True)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for n in range(lines):
        body = f"6{n:07d}"
        siren = body + luhn.calc_check_digit(body)
        nic_body = f"{siren}{1 + n % 3:04d}"
        siret = nic_body + luhn.calc_check_digit(nic_body)
        insee, name, postal = rng.choice(communes)
        closed = rng.random() < 0.1
        writer.writerow(
            [
                siren, siret[9:], siret, "P" if rng.random() < 0.04 else "O",
                f"{rng.randint(1970, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(BANDS), "", "2026-11-01T03:00:00", "true" if n % 3 == 0 else "false",
                "2", "", str(rng.randint(1, 300)), "", rng.choice(WAYS), rng.choice(STREETS),
                postal, name.upper(), insee, "F" if closed else "A",
                f"ENSEIGNE {n}" if rng.random() < 0.3 else "",
                f"ETABLISSEMENT {n}" if rng.random() < 0.5 else "", rng.choice(nafs), "NAFRev2",
                "O",
            ]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--reuse", help="an SQLite file with the referentials already loaded")
    args = parser.parse_args()
    setup_django(args.reuse)

    from django.contrib.auth import get_user_model
    from django.db import connection

    from tisserand.companies import imports
    from tisserand.companies.models import Establishment, LegalUnit
    from tisserand.core.actor import Actor
    from tisserand.core.models import TimelineEvent, TimelineMention

    started = time.perf_counter()
    load_referentials()
    TimelineMention.objects.all().delete()
    TimelineEvent.objects.all().delete()
    Establishment.tags.through.objects.all().delete()
    Establishment.objects.all().delete()
    LegalUnit.objects.all().delete()
    rng = random.Random(2026)
    data = stock_file(rng, args.lines)
    print(
        f"{connection.vendor}: referentials ready and a file of {args.lines} lines "
        f"({len(data) / 1e6:.1f} Mo) written in {time.perf_counter() - started:.1f} s"
    )
    user = get_user_model().objects.filter(email="banc-import@exemple.test").first()
    user = user or get_user_model().objects.create_user(
        email="banc-import@exemple.test", password="x"
    )
    actor = Actor(user)

    started, cpu = time.perf_counter(), time.process_time()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    reading, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{'csv.DictReader alone (decode + parse)':<48} {reading:7.2f} s  ({len(rows)} rows, "
        f"processor time {cpu:.2f} s)"
    )

    def timed(label, function):
        started, cpu = time.perf_counter(), time.process_time()
        result = function()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{label:<48} {elapsed:7.2f} s  ×{elapsed / reading:6.1f} the csv reading "
            f"(processor time {cpu:.2f} s)"
        )
        return result, elapsed

    result, _ = timed("preview (checks every line, writes nothing)", lambda: imports.preview(data))
    print(f"  {result.counts}")

    def first_import():
        preview = imports.preview(data)
        return imports.apply(preview, actor=actor)

    counts, total = timed("first import (preview + writing)", first_import)
    print(
        f"  {counts}; {Establishment.objects.count()} establishments, "
        f"{TimelineEvent.objects.count()} timeline events"
    )
    again, _ = timed("re-import of the same file (preview)", lambda: imports.preview(data))
    print(f"  {again.counts} — nothing to apply: {not again.can_apply}")

    text = data.decode("utf-8").splitlines()
    changed = [text[0]] + [
        line.replace(",11,", ",12,", 1) if n % 10 == 0 else line for n, line in enumerate(text[1:])
    ]
    changed_data = ("\n".join(changed) + "\n").encode("utf-8")

    def update():
        preview = imports.preview(changed_data)
        return imports.apply(preview, actor=actor) if preview.can_apply else preview.counts

    counts, _ = timed("import updating some lines (preview + writing)", update)
    print(f"  {counts}")
    print(f"first import of {args.lines} lines: {total:.1f} s (target ≤ 30 s)")


if __name__ == "__main__":
    main()
