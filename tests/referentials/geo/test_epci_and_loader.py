"""EPCI composition import, the shipped-data loader, and the QPV index across processes."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.referentials.geo.factories import (
    ALMA,
    MEL_SIREN,
    TROIS_BAUDETS,
    make_roubaix_area,
    write_geojson,
)
from tests.referentials.geo.test_import_bad_input import write_files
from tisserand.referentials.geo import loader, qpv_index, services
from tisserand.referentials.geo.models import Commune, Epci
from tisserand.referentials.geo.qpv_import import read_qpv_file, save_qpvs

COMPOSITION = (
    "CODGEO;LIBGEO;EPCI;LIBEPCI;DEP;REG\n"
    "59350;Lille;200093201;Métropole Européenne de Lille;59;32\n"
    "59367;Lys-lez-Lannoy;200093201;Métropole Européenne de Lille;59;32\n"
    "59512;Roubaix;200093201;Métropole Européenne de Lille;59;32\n"
)


@pytest.fixture
def area():
    area = make_roubaix_area()
    Commune.objects.update(epci=None)
    Epci.objects.all().delete()
    return area


def import_epci(tmp_path, text, *options):
    path = tmp_path / "EPCI_au_01-01-2024.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_epci", str(path), *options, stdout=StringIO())


@pytest.mark.parametrize("delimiter", [";", ","])
def test_epci_composition_sets_the_epci_of_communes(area, tmp_path, delimiter):
    import_epci(tmp_path, COMPOSITION.replace(";", delimiter))
    mel = Epci.objects.get(siren=MEL_SIREN)
    assert mel.name == "Métropole Européenne de Lille"
    assert set(mel.communes.values_list("insee_code", flat=True)) == {"59350", "59367", "59512"}


def test_communes_without_epci_are_skipped(area, tmp_path):
    import_epci(tmp_path, COMPOSITION.replace("59512;Roubaix;200093201", "59512;Roubaix;ZZZZZZZZZ"))
    assert Commune.objects.get(insee_code="59512").epci is None


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("59512;Roubaix;200093201", "59512;Roubaix;20009320", "ligne 4, colonne « EPCI »"),
        ("59512;Roubaix", "59999;Nulle part", "commune 59999 inconnue"),
        ("CODGEO;", "COMMUNE;", "ligne 1, colonne « CODGEO »"),
    ],
)
def test_bad_epci_files_write_nothing(area, tmp_path, old, new, expected):
    with pytest.raises(CommandError) as error:
        import_epci(tmp_path, COMPOSITION.replace(old, new))
    assert expected in str(error.value)
    assert "Fichier EPCI_au_01-01-2024.csv" in str(error.value)
    assert not Epci.objects.exists()
    assert not Commune.objects.filter(epci__isnull=False).exists()


def test_loader_imports_the_shipped_files_when_absent(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "shipped_directory", lambda: write_files(tmp_path))
    out = StringIO()
    loader.load_shipped_territory(out)
    assert "3 communes, 3 codes postaux, 1 bassins d'emploi chargés" in out.getvalue()
    assert services.bassin_code_for_commune("59512") == "3217"
    out = StringIO()
    loader.load_shipped_territory(out)
    assert "déjà chargées" in out.getvalue()


def test_loader_is_registered_first():
    from tisserand.core.reference_data import loaders

    geo = next(item for item in loaders() if item.load is loader.load_shipped_territory)
    assert geo.order == 10


def test_an_import_by_another_process_is_noticed(tmp_path, monkeypatch):
    make_roubaix_area()
    save_qpvs(read_qpv_file(write_geojson(tmp_path, [ALMA])), "premier")
    assert services.qpv_at(50.67, 3.215) is None
    # Another process imports: this process's index is not told, but the token changes.
    save_qpvs(read_qpv_file(write_geojson(tmp_path, [ALMA, TROIS_BAUDETS])), "second")
    monkeypatch.setattr(qpv_index, "CHECK_INTERVAL", 0)
    assert services.qpv_at(50.67, 3.215).code == "QN05934A"
