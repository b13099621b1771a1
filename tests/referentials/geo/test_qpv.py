"""QPV: import of the official 2024 GeoJSON schema, point-in-polygon, bad input."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.referentials.geo.factories import (
    ALMA,
    MEL_SIREN,
    TROIS_BAUDETS,
    geojson,
    make_roubaix_area,
    qpv_feature,
    square,
    write_geojson,
)
from tisserand.referentials.geo import services
from tisserand.referentials.geo.models import Commune, Epci, Qpv, QpvImport
from tisserand.referentials.geo.qpv_import import import_qpv_file


@pytest.fixture
def area():
    return make_roubaix_area()


@pytest.fixture
def imported(area, tmp_path):
    import_qpv_file(write_geojson(tmp_path, [ALMA, TROIS_BAUDETS]))
    return area


def import_fails(path, *options):
    with pytest.raises(CommandError) as error:
        call_command("import_qpv", str(path), *options, stdout=StringIO())
    message = str(error.value)
    assert message.startswith("Import annulé, rien n'a été écrit.")
    return message


def test_import_stores_codes_names_communes_and_epci(imported):
    out = StringIO()
    assert Qpv.objects.count() == 2
    alma = Qpv.objects.get(code="QN05912M")
    assert alma.name == "Alma"
    assert alma.departement_code == "59"
    assert list(alma.communes.values_list("insee_code", flat=True)) == ["59512"]
    assert alma.epci.siren == MEL_SIREN
    assert [q.code for q in imported["roubaix"].qpvs.all()] == ["QN05912M"]
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (50.685, 3.175, "QN05912M"),  # inside the ring
        (50.69, 3.18, None),  # in the hole
        (50.72, 3.18, None),  # outside
        (50.67, 3.215, "QN05934A"),  # first part of the multipolygon
        (50.67, 3.235, "QN05934A"),  # second part
        (50.67, 3.225, None),  # between the two parts
        (50.68, 3.175, "QN05912M"),  # on the outer boundary
    ],
)
def test_qpv_at(imported, lat, lon, expected):
    found = services.qpv_at(lat, lon)
    assert (found.code if found else None) == expected


def test_qpvs_at_answers_a_batch_like_qpv_at(imported):
    points = [(50.685, 3.175), (50.69, 3.18), (50.67, 3.235), (48.85, 2.35)]
    found = services.qpvs_at(points)
    assert [q.code if q else None for q in found] == ["QN05912M", None, "QN05934A", None]
    assert services.qpvs_at([]) == []


def test_no_qpv_imported_means_no_answer(area):
    assert services.qpv_at(50.685, 3.175) is None


def test_reimport_replaces_the_list_and_refreshes_the_index(imported, tmp_path):
    assert services.qpv_at(50.685, 3.175).code == "QN05912M"
    moved = qpv_feature(
        "QN05912M",
        "Alma-Gare",
        "59512",
        {"type": "Polygon", "coordinates": [square(3.2, 50.7, 0.005)]},
    )
    call_command("import_qpv", str(write_geojson(tmp_path, [moved])), stdout=StringIO())
    assert services.qpv_at(50.685, 3.175) is None
    assert services.qpv_at(50.7, 3.2).name == "Alma-Gare"
    assert list(Qpv.objects.values_list("code", flat=True)) == ["QN05912M"]
    assert QpvImport.objects.count() == 2


def test_epci_from_the_qpv_file_fills_communes_without_one(area, tmp_path):
    Commune.objects.update(epci=None)
    import_qpv_file(write_geojson(tmp_path, [ALMA]))
    assert Commune.objects.get(insee_code="59512").epci.siren == MEL_SIREN
    assert Commune.objects.get(insee_code="59350").epci is None


def test_compressed_file_and_latin_encoding(area, tmp_path):
    text = json.dumps(geojson([qpv_feature("QN05912M", "Épeule", "59512", ALMA["geometry"])]))
    (tmp_path / "qpv.geojson.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    call_command("import_qpv", str(tmp_path / "qpv.geojson.gz"), stdout=StringIO())
    assert Qpv.objects.get().name == "Épeule"
    latin = tmp_path / "latin.geojson"
    latin.write_bytes(
        json.dumps(geojson([ALMA]), ensure_ascii=False).replace("Alma", "Éa").encode("iso-8859-15")
    )
    call_command("import_qpv", str(latin), "--encodage", "iso-8859-15", stdout=StringIO())
    assert Qpv.objects.get().name == "Éa"


def _broken(**changes):
    feature = json.loads(json.dumps(TROIS_BAUDETS))
    for key, value in changes.items():
        if key == "geometry":
            feature["geometry"] = value
        elif value is None:
            del feature["properties"][key]
        else:
            feature["properties"][key] = value
    return feature


@pytest.mark.parametrize(
    ("feature", "expected"),
    [
        (_broken(lib_qp=None), "entité n° 2 : propriété obligatoire absente."),
        (_broken(code_qp="QP059012"), "code de la liste 2015"),
        (_broken(code_qp="QN5912M"), "code « QN5912M » invalide"),
        (_broken(insee_com="5936"), "propriété « insee_com » : entité n° 2 : code INSEE « 5936 »"),
        (_broken(siren_epci="20009320"), "SIREN « 20009320 » invalide"),
        (_broken(code_qp="QN05912M"), "code QN05912M déjà présent (entité n° 1)"),
        (
            _broken(geometry={"type": "Point", "coordinates": [3.2, 50.6]}),
            "Polygon ou MultiPolygon",
        ),
        (
            _broken(geometry={"type": "Polygon", "coordinates": [square(704000, 7059000, 100)]}),
            "Lambert-93",
        ),
        (_broken(insee_com="59999"), "commune 59999 inconnue"),
    ],
)
def test_bad_features_are_refused(imported, tmp_path, feature, expected):
    before = list(Qpv.objects.values_list("code", "name"))
    message = import_fails(write_geojson(tmp_path, [ALMA, feature], name="bad.geojson"))
    assert expected in message
    assert "Fichier bad.geojson" in message
    assert list(Qpv.objects.values_list("code", "name")) == before
    assert QpvImport.objects.count() == 1


def test_errors_name_the_line_of_the_feature(area, tmp_path):
    path = write_geojson(tmp_path, [ALMA, _broken(lib_qp="")], name="bad.geojson")
    lines = path.read_text().splitlines()
    line = [n for n, text in enumerate(lines, 1) if text.strip() == '"type": "Feature",'][1]
    message = import_fails(path)
    assert f"ligne {line}, propriété « lib_qp » : entité n° 2" in message


def test_truncated_json(area, tmp_path):
    path = write_geojson(tmp_path, [ALMA, TROIS_BAUDETS])
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    message = import_fails(path)
    assert "JSON invalide" in message and "fichier tronqué" in message
    assert "ligne " in message and "colonne " in message


def test_wrong_encoding(area, tmp_path):
    path = tmp_path / "latin.geojson"
    text = json.dumps(
        geojson([qpv_feature("QN05912M", "Épeule", "59512", ALMA["geometry"])]), ensure_ascii=False
    )
    path.write_bytes(text.encode("iso-8859-15"))
    assert "caractère illisible en UTF-8 (octet 0xC9)" in import_fails(path)


def test_not_a_feature_collection(area, tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps({"type": "Feature"}))
    assert "FeatureCollection" in import_fails(path)
    path.write_text(json.dumps(geojson([])))
    assert "aucune entité" in import_fails(path)


def test_communes_must_be_imported_first(tmp_path):
    message = import_fails(write_geojson(tmp_path, [ALMA]))
    assert "importez d'abord les communes" in message
    assert not Epci.objects.exists()
