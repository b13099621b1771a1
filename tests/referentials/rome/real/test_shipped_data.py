"""The data shipped in data/rome is the published data, and its loader is idempotent."""

import io
import lzma

from tests.referentials.rome.real.conftest import LABOUR_DIR, ROME_DIR
from tisserand.referentials.rome import loader
from tisserand.referentials.rome.models import ImportRun


def test_shipped_files_are_the_published_ones():
    shipped = sorted(loader.ROME_PACK.glob("unix_*_v460_utf8.csv.xz"))
    assert len(shipped) == 14
    for path in shipped:
        assert lzma.decompress(path.read_bytes()) == (ROME_DIR / path.stem).read_bytes(), path
    for name in ("naf_labels.csv", "naf_section_labels.csv", "rome_naf_hirings.csv"):
        published = (LABOUR_DIR / name).read_bytes()
        assert lzma.decompress((loader.LABOUR / f"{name}.xz").read_bytes()) == published
    assert (loader.DATA / "README.md").read_text().count("Licence Ouverte") >= 6


def test_the_loader_does_nothing_when_the_data_is_there():
    runs = ImportRun.objects.count()
    out = io.StringIO()
    loader.load(out)
    assert "déjà chargé (ROME 4.60" in out.getvalue()
    assert ImportRun.objects.count() == runs
