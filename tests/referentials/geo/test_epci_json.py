"""The DGCL's composition of the EPCI in JSON (the file the project ships), read strictly."""

import json
import lzma

import pytest

from tests.referentials.geo.factories import MEL_SIREN, make_roubaix_area
from tisserand.core.reference_data import loaders
from tisserand.referentials.geo import loader
from tisserand.referentials.geo.epci import import_epci_file, read_epci_json
from tisserand.referentials.geo.files import ImportFailed
from tisserand.referentials.geo.models import Commune, Epci

MEL = {
    "code": MEL_SIREN,
    "nom": "Métropole Européenne de Lille",
    "type": "ME",
    "membres": [
        {"code": "59512", "nom": "Roubaix"},
        {"code": "59367", "nom": "Lys-lez-Lannoy"},
        {"code": "59350", "nom": "Lille"},
        {"code": "59999", "nom": "Commune fusionnée depuis"},
    ],
}


def _write(tmp_path, entries, name="epci.json.xz"):
    path = tmp_path / name
    data = json.dumps(entries).encode()
    path.write_bytes(lzma.compress(data) if name.endswith(".xz") else data)
    return path


def test_the_json_sets_the_epci_of_the_known_communes(tmp_path):
    make_roubaix_area()
    Epci.objects.all().delete()
    composition = read_epci_json(_write(tmp_path, [MEL]))
    assert composition.unknown == ["59999"]
    assert import_epci_file(_write(tmp_path, [MEL])) == (1, 3)
    assert Commune.objects.get(insee_code="59512").epci.name == "Métropole Européenne de Lille"
    # Idempotent.
    assert import_epci_file(_write(tmp_path, [MEL])) == (1, 3)
    assert Epci.objects.count() == 1


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ({"code": MEL_SIREN}, "une liste d'EPCI est attendue"),
        ([{**MEL, "code": "2000932"}], "EPCI n° 1 : SIREN « 2000932 » invalide"),
        ([{**MEL, "membres": None}], "liste « membres » absente"),
        ([{**MEL, "membres": [{"code": "5951"}]}], "code INSEE « 5951 » invalide"),
    ],
)
def test_a_bad_json_writes_nothing(tmp_path, entries, expected):
    make_roubaix_area()
    Epci.objects.all().delete()
    with pytest.raises(ImportFailed) as error:
        import_epci_file(_write(tmp_path, entries))
    assert expected in str(error.value)
    assert not Epci.objects.exists()


def test_an_unreadable_json_is_refused(tmp_path):
    make_roubaix_area()
    path = tmp_path / "epci.json"
    path.write_bytes(b'[{"code": ')
    with pytest.raises(ImportFailed, match="JSON illisible"):
        read_epci_json(path)


def test_the_loader_loads_the_shipped_file_after_the_communes(tmp_path, monkeypatch):
    make_roubaix_area()
    Epci.objects.all().delete()
    Commune.objects.update(epci=None)
    _write(tmp_path, [MEL])
    monkeypatch.setattr(loader, "shipped_directory", lambda: tmp_path)
    from io import StringIO

    out = StringIO()
    loader.load_shipped_epcis(out)
    assert "1 EPCI, 3 communes rattachées" in out.getvalue()
    order = {item.name: item.order for item in loaders()}
    assert order["Intercommunalités (EPCI)"] > order["Communes et bassins d'emploi"]


def test_the_project_ships_the_composition():
    from django.conf import settings

    assert (settings.BASE_DIR / "data" / "geo" / "epci.json.xz").is_file()
