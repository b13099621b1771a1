"""Geo imports: texts longer than their column, huge fields, outlines without area, empty or
broken files — refused in French with where the problem is, and nothing written."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.referentials.geo.factories import (
    ALMA,
    TROIS_BAUDETS,
    geojson,
    make_roubaix_area,
    qpv_feature,
    write_geojson,
)
from tests.referentials.geo.test_epci_and_loader import COMPOSITION
from tests.referentials.geo.test_import_bad_input import FILES, write_files
from tisserand.referentials.geo.models import BassinEmploi, Commune, Epci, Qpv, QpvImport

ENGLISH = re.compile(r"\b(the|of|is|expected|field|line|Expecting|Invalid|error)\b")


def state():
    return [
        sorted(model.objects.values_list())
        for model in (Commune, BassinEmploi, Epci, Qpv, QpvImport)
    ]


def fails(command, path, *options):
    before = state()
    with pytest.raises(CommandError) as error:
        call_command(command, str(path), *options, stdout=StringIO())
    message = str(error.value)
    assert message.startswith("Import annulé, rien n'a été écrit.")
    assert not ENGLISH.search(message.replace("ligne ", "")), message
    assert state() == before
    return message


# --- import_geo --------------------------------------------------------------------------


def test_a_commune_name_longer_than_its_column(tmp_path):
    text = FILES["communes.csv"].replace("ROUBAIX", "ROUBAIX" * 20)
    message = fails("import_geo", write_files(tmp_path, communes=text))
    assert "Fichier communes.csv, ligne 4, colonne « commune_name »" in message
    assert "140 caractères, trop long pour « nom » (100 au plus)" in message


def test_an_official_commune_name_longer_than_its_column(tmp_path):
    text = FILES["lexique_bassins.csv"].replace(",Roubaix,", ",Roubaix" + "x" * 100 + ",")
    message = fails("import_geo", write_files(tmp_path, lexique_bassins=text))
    assert "Fichier lexique_bassins.csv, ligne 4, colonne « NOMCOM »" in message
    assert "(100 au plus)" in message


def test_a_bassin_name_longer_than_its_column(tmp_path):
    text = FILES["lexique_bassins.csv"].replace("ROUB.TOURC.\n59512", "R" * 120 + "\n59512")
    message = fails("import_geo", write_files(tmp_path, lexique_bassins=text))
    assert "Fichier lexique_bassins.csv, ligne 3, colonne « NOMBE19 »" in message
    assert "(100 au plus)" in message


def test_a_huge_field_names_its_line_in_french(tmp_path):
    text = FILES["communes.csv"].replace("ROUBAIX", '"' + "R" * 200_000 + '"')
    message = fails("import_geo", write_files(tmp_path, communes=text))
    assert "Fichier communes.csv, ligne 4, colonne « commune_name »" in message
    assert "200002 caractères" in message or "200000 caractères" in message


def test_a_misplaced_quote_is_told_in_french(tmp_path):
    text = FILES["communes.csv"].replace("ROUBAIX", '"ROU"BAIX')
    message = fails("import_geo", write_files(tmp_path, communes=text))
    assert "Fichier communes.csv, ligne 4, colonne « commune_name »" in message
    assert "guillemet mal placé" in message


def test_a_broken_compressed_file_is_told_in_french(tmp_path):
    write_files(tmp_path)
    (tmp_path / "communes.csv").unlink()
    (tmp_path / "communes.csv.xz").write_bytes(b"not xz at all")
    message = fails("import_geo", tmp_path)
    assert "Fichier communes.csv.xz : fichier compressé illisible ou tronqué." in message


# --- import_epci -------------------------------------------------------------------------


@pytest.fixture
def area():
    area = make_roubaix_area()
    Commune.objects.update(epci=None)
    Epci.objects.all().delete()
    return area


def test_an_epci_name_longer_than_its_column_is_refused_not_cut(area, tmp_path):
    path = tmp_path / "EPCI.csv"
    path.write_text(
        COMPOSITION.replace(
            "Métropole Européenne de Lille;59;32\n59512", "M" * 201 + ";59;32\n59512"
        )
    )
    message = fails("import_epci", path)
    assert "Fichier EPCI.csv, ligne 3, colonne « LIBEPCI »" in message
    assert "201 caractères, trop long pour « nom » (200 au plus)" in message


# --- import_qpv --------------------------------------------------------------------------


def test_a_qpv_name_longer_than_its_column_is_refused_not_cut(area, tmp_path):
    long_name = qpv_feature("QN05934A", "Q" * 201, "59367", TROIS_BAUDETS["geometry"])
    message = fails("import_qpv", write_geojson(tmp_path, [ALMA, long_name]))
    assert "propriété « lib_qp » : entité n° 2 : « QQQ" in message
    assert "201 caractères, trop long pour « nom » (200 au plus)" in message


def test_an_outline_without_area_is_refused(area, tmp_path):
    flat = {
        "type": "Polygon",
        "coordinates": [[[3.2, 50.7], [3.21, 50.7], [3.2, 50.7], [3.2, 50.7]]],
    }
    feature = qpv_feature("QN05934A", "Plat", "59367", flat)
    message = fails("import_qpv", write_geojson(tmp_path, [ALMA, feature]))
    assert "propriété « geometry » : entité n° 2 : contour sans surface" in message


def test_repaired_outlines_are_reported(area, tmp_path):
    # A bow tie: the ring crosses itself; repaired into two triangles.
    bow_tie = [[3.2, 50.7], [3.21, 50.71], [3.21, 50.7], [3.2, 50.71], [3.2, 50.7]]
    feature = qpv_feature(
        "QN05934A", "Nœud", "59367", {"type": "Polygon", "coordinates": [bow_tie]}
    )
    out = StringIO()
    call_command("import_qpv", str(write_geojson(tmp_path, [ALMA, feature])), stdout=out)
    assert "2 QPV importés" in out.getvalue()
    assert (
        "Contours réparés (ils se recoupaient ou étaient mal fermés) : QN05934A." in out.getvalue()
    )
    assert QpvImport.objects.get().repaired_codes == ["QN05934A"]
    assert Qpv.objects.get(code="QN05934A").geometry


def test_an_empty_file(area, tmp_path):
    path = tmp_path / "vide.geojson"
    path.write_text("  \n")
    assert "Fichier vide.geojson : fichier vide." in fails("import_qpv", path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"type": "FeatureCollection", "features": [}', "valeur attendue"),
        ('{"type": "FeatureCollection" "features": []}', "virgule attendue"),
        ("{'type': 'FeatureCollection'}", "nom de propriété entre guillemets attendu"),
        ('{"type": "FeatureCollection"} x', "contenu après la fin du document"),
        ('{"type": "Feature\u0001Collection"}', "caractère de contrôle"),
        ("[" * 100_000, "imbrication trop profonde"),
        ('{"n": ' + "9" * 5000 + "}", "nombre trop long"),
    ],
)
def test_broken_json_is_told_in_french(area, tmp_path, text, expected):
    path = tmp_path / "casse.geojson"
    path.write_text(text)
    message = fails("import_qpv", path)
    assert "Fichier casse.geojson" in message
    assert expected in message


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": "abc"},
        {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]},
        {"type": "Polygon", "coordinates": [[[3.2, 50.7], [3.21, 50.7]]]},
        {"type": "MultiPolygon", "coordinates": [[[[3.2]]]]},
        {"type": "Polygon", "coordinates": [[[float("nan"), 50.7], [3.21, 50.7], [3.2, 50.71]]]},
        {"type": "Polygon"},
    ],
)
def test_unreadable_outlines_are_told_in_french(area, tmp_path, geometry):
    feature = qpv_feature("QN05934A", "Cassé", "59367", geometry)
    path = tmp_path / "casse.geojson"
    path.write_text(json.dumps(geojson([ALMA, feature])))
    message = fails("import_qpv", path)
    assert "entité n° 2" in message
