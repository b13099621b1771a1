"""Loads the ROME, NAF and labour-market files shipped in data/rome/ when they are missing."""

import time

from django.conf import settings

from tisserand.core.reference_data import Loader
from tisserand.referentials.rome.importing import labour
from tisserand.referentials.rome.importing.rome_import import current_version, import_rome
from tisserand.referentials.rome.importing.rome_pack import locate_files, version_key
from tisserand.referentials.rome.models import ImportRun

DATA = settings.BASE_DIR / "data" / "rome"
ROME_PACK = DATA / "rome_v460"
LABOUR = DATA / "labour"


def _labour_steps():
    return [
        (
            ImportRun.Kind.NAF,
            labour.import_naf,
            (LABOUR / "naf_labels.csv.xz", LABOUR / "naf_section_labels.csv.xz"),
        ),
        (ImportRun.Kind.HIRINGS, labour.import_hirings, (LABOUR / "rome_naf_hirings.csv.xz",)),
        (
            ImportRun.Kind.TENSION,
            labour.import_tension,
            (
                LABOUR / "tension_rome_bassin_2021.csv.xz",
                LABOUR / "bassins_emploi_be19.csv.xz",
            ),
        ),
        (
            ImportRun.Kind.FAP_TENSION,
            labour.import_fap_tension,
            (LABOUR / "metiers_tension_fap.csv.xz",),
        ),
    ]


def load(stdout):
    started = time.perf_counter()
    done = []
    shipped, _ = locate_files(ROME_PACK)
    current = current_version()
    if current is None or version_key(current) < version_key(shipped):
        import_rome(ROME_PACK)
        done.append(f"ROME {shipped}")
    already = set(ImportRun.objects.values_list("kind", flat=True).distinct())
    for kind, function, paths in _labour_steps():
        if kind not in already:
            function(*paths)
            done.append(ImportRun.Kind(kind).label)
    if done:
        stdout.write(f"  chargé en {time.perf_counter() - started:.1f} s : {', '.join(done)}.")
    else:
        stdout.write(f"  déjà chargé (ROME {current}, NAF, embauches, tensions).")


LOADER = Loader("Métiers (ROME 4.0), NAF et marché du travail", load, order=20)
