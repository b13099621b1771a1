"""Many malformed variants of every import format: each import either succeeds or stops with
its French refusal (no traceback, no English), and a refusal changes nothing."""

import gzip
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.referentials.geo.factories import ALMA, TROIS_BAUDETS, geojson, make_roubaix_area
from tests.referentials.geo.test_epci_and_loader import COMPOSITION
from tests.referentials.geo.test_import_bad_input import FILES
from tests.referentials.rome.test_labour_import import (
    BASSINS,
    FAP,
    HIRINGS,
    SECTIONS,
    SUBCLASSES,
    TENSION,
)
from tests.referentials.trainings.conftest import demo_bytes
from tisserand.referentials.geo.models import BassinEmploi, Commune, Epci, Qpv, QpvImport
from tisserand.referentials.rome.models import (
    BassinTension,
    FapTension,
    Hiring,
    ImportRun,
    NafSection,
    NafSubclass,
)
from tisserand.referentials.trainings.models import Session, Training, TrainingBody

ENGLISH = re.compile(
    r"\b(the|is|not|expected|Expected|found|field|limit|line \d|Expecting|Invalid|error|"
    r"Error|unexpected|Traceback)\b"
)
MODELS = (
    NafSection,
    NafSubclass,
    Hiring,
    BassinTension,
    FapTension,
    ImportRun,
    Commune,
    BassinEmploi,
    Epci,
    Qpv,
    QpvImport,
    Training,
    TrainingBody,
    Session,
)


def mutations(data):
    """Malformed variants of a file's bytes: cut, spoilt, padded, emptied."""
    size = len(data)
    yield from (data[:cut] for cut in {0, 1, size // 7, size // 3, size // 2, size - 3})
    yield data + b'"'
    yield b'"' + data
    yield data.replace(b"\n", b"\r", 3)
    yield data.replace(b"\n", b"\x00\n", 2)
    yield data + b"\xff\xfe\xfa"
    yield "\ufeff".encode() + data
    yield data[: size // 2] + b'"' + b"y" * 140_000 + data[size // 2 :]
    yield data[: size // 2] + b"z" * 140_000 + data[size // 2 :]
    yield data.replace(b",", b'",', 2).replace(b";", b'";', 2).replace(b"|", b'"|', 2)
    yield data.replace(b"<", b"", 1).replace(b"{", b"", 1)
    yield data.replace(b">", b">&", 3).replace(b":", b"::", 2)
    yield gzip.compress(data)[:40]
    yield bytes(range(256))


def state():
    return [sorted(map(str, model.objects.values_list())) for model in MODELS]


def probe(command, path, variant, *extra):
    path.write_bytes(variant)
    return refusal(command, path, *extra)


def refusal(command, *args):
    """The French refusal of the import, None when it succeeded."""
    before = state()
    try:
        call_command(command, *map(str, args), stdout=StringIO())
    except CommandError as error:
        message = str(error)
        assert message.startswith(("Import annulé", "Import refusé", "Encodage")), message
        assert not ENGLISH.search(message), message
        assert state() == before
        return message
    return None


@pytest.fixture
def rome_and_naf(tmp_path):
    from tests.referentials.rome.packs import write_pack
    from tisserand.referentials.rome.importing.labour import import_naf
    from tisserand.referentials.rome.importing.rome_import import import_rome

    import_rome(write_pack(tmp_path / "pack"))
    (tmp_path / "sections.csv").write_text(SECTIONS)
    (tmp_path / "naf_labels.csv").write_text(SUBCLASSES)
    import_naf(tmp_path / "naf_labels.csv", tmp_path / "sections.csv")
    return tmp_path


@pytest.mark.parametrize(
    ("command", "text", "extra"),
    [
        ("import_naf", SUBCLASSES, ["sections.csv"]),
        ("import_hirings", HIRINGS, []),
        ("import_tension", TENSION, []),
        ("import_tension", TENSION, ["--bassins", "bassins.csv"]),
        ("import_fap_tension", FAP, []),
    ],
)
def test_labour_files(rome_and_naf, command, text, extra):
    (rome_and_naf / "bassins.csv").write_text(BASSINS)
    extra = [rome_and_naf / e if e.endswith(".csv") else e for e in extra]
    refused = [
        probe(command, rome_and_naf / "probe.csv", variant, *extra)
        for variant in mutations(text.encode())
    ]
    assert sum(message is not None for message in refused) >= 10


@pytest.mark.parametrize("name", sorted(FILES))
def test_geo_files(tmp_path, name):
    for other, text in FILES.items():
        (tmp_path / other).write_text(text)
    refused = [_geo_probe(tmp_path, name, variant) for variant in mutations(FILES[name].encode())]
    assert sum(message is not None for message in refused) >= 10


def _geo_probe(folder, name, variant):
    (folder / name).write_bytes(variant)
    return refusal("import_geo", folder)


def test_epci_files(tmp_path):
    make_roubaix_area()
    refused = [
        probe("import_epci", tmp_path / "epci.csv", variant)
        for variant in mutations(COMPOSITION.encode())
    ]
    assert sum(message is not None for message in refused) >= 10


def test_qpv_files(tmp_path):
    make_roubaix_area()
    text = json.dumps(geojson([ALMA, TROIS_BAUDETS]), indent=1).encode()
    refused = [
        probe("import_qpv", tmp_path / "qpv.geojson", variant) for variant in mutations(text)
    ]
    assert sum(message is not None for message in refused) >= 10


def test_lheo_files(tmp_path):
    refused = [
        probe("import_lheo", tmp_path / "offres.xml", variant)
        for variant in mutations(demo_bytes())
    ]
    assert sum(message is not None for message in refused) >= 10
