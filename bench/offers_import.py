"""Benchmark of the France Travail import: a file of N offers (default 10,000) in the
« Offres d'emploi v2 » format, imported then re-imported unchanged, against ``json.load``
alone.

    .venv/bin/python bench/offers_import.py [--offers 10000]
"""

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from offers_common import ft_records, make_referentials, setup_django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=10_000)
    args = parser.parse_args()
    setup_django()
    from tisserand.opportunities.importing import francetravail, sync
    from tisserand.opportunities.models import JobOffer, OfferSource

    rng = random.Random(13)
    communes = make_referentials(rng)
    path = Path(tempfile.mkdtemp()) / "offres.json"
    path.write_text(json.dumps({"resultats": ft_records(rng, args.offers, communes)}))
    started = time.perf_counter()
    with path.open() as handle:
        json.load(handle)
    floor = time.perf_counter() - started

    def timed():
        started = time.perf_counter()
        drafts = francetravail.load_file(path)
        run = sync.sync(drafts, source=OfferSource.FRANCE_TRAVAIL)
        return time.perf_counter() - started, run

    first, run = timed()
    again, rerun = timed()
    print(f"Fichier : {args.offers} offres, {path.stat().st_size / 1e6:.1f} Mo")
    print(f"json.load seul : {floor:.2f} s")
    print(f"Import : {first:.2f} s ({run.created} créées) — {first / floor:.0f}× json.load")
    print(
        f"Ré-import identique : {again:.2f} s ({rerun.unchanged} inchangées, "
        f"{rerun.updated} mises à jour) — {again / floor:.0f}× json.load"
    )
    print(f"Offres en base : {JobOffer.objects.count()}")


if __name__ == "__main__":
    main()
