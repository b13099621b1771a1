"""import_geo on small crafted files: bad input stops with a French message and writes nothing."""

import lzma
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tisserand.referentials.geo import territory
from tisserand.referentials.geo.models import BassinEmploi, Commune, GeoImport, PostalCode

FILES = {
    "communes.csv": (
        "commune_id|commune_name\n59173|DEULEMONT\n59367|LYS-LEZ-LANNOY\n59512|ROUBAIX\n"
    ),
    "laposte_hexasmal.csv": (
        "Code_commune_INSEE;Nom_commune;Code_postal;Libelle_acheminement;Ligne_5;coordonnees_gps\r\n"
        "59173;DEULEMONT;59890;DEULEMONT;;50.7333, 2.95\r\n"
        "59367;LYS LEZ LANNOY;59390;LYS LEZ LANNOY;;50.6721775091, 3.2172382556\r\n"
        "59512;ROUBAIX;59100;ROUBAIX;;50.6879774811, 3.18258434623\r\n"
    ),
    "lexique_bassins.csv": (
        "CODE_COMMUNE_INSEE,REG_CREDOC,REG,DEP,CCOMMUNE,NOMCOM,BE19,NOMBE19\n"
        "59173,I,32,59,59173,Deûlémont,3217,VERSANT N-EST ROUB.TOURC.\n"
        "59367,I,32,59,59367,Lys-lez-Lannoy,3217,VERSANT N-EST ROUB.TOURC.\n"
        "59512,I,32,59,59512,Roubaix,3217,VERSANT N-EST ROUB.TOURC.\n"
    ),
    "bassin_emploi_communes.csv": (
        "code_insee,code_bassin_emploi\n59173,3217\n59367,3217\n59512,3217\n"
    ),
}


def write_files(directory, **changes):
    """The crafted files, with ``changes``: {file stem: text or bytes}."""
    for name, text in FILES.items():
        content = changes.get(name.removesuffix(".csv"), text)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (directory / name).write_bytes(data)
    return directory


def import_fails(directory):
    with pytest.raises(CommandError) as error:
        call_command("import_geo", str(directory), stdout=StringIO())
    message = str(error.value)
    assert message.startswith("Import annulé, rien n'a été écrit.")
    return message


def test_small_files_import(tmp_path):
    out = StringIO()
    call_command("import_geo", str(write_files(tmp_path)), stdout=out)
    assert "3 communes, 3 codes postaux, 1 bassins d'emploi" in out.getvalue()
    deulemont = Commune.objects.get(insee_code="59173")
    assert deulemont.name == "Deûlémont"
    assert deulemont.search_name == "deulemont"
    assert deulemont.bassin.code == "3217"
    assert list(deulemont.postal_codes.values_list("code", flat=True)) == ["59890"]


def test_wrong_encoding_names_file_line_and_column(tmp_path):
    latin = FILES["lexique_bassins.csv"].encode("iso-8859-15")
    message = import_fails(write_files(tmp_path, lexique_bassins=latin))
    assert "Fichier lexique_bassins.csv, ligne 2, colonne « NOMCOM »" in message
    assert "illisible en UTF-8" in message


def test_missing_column(tmp_path):
    text = FILES["lexique_bassins.csv"].replace(",BE19,", ",BASSIN,")
    message = import_fails(write_files(tmp_path, lexique_bassins=text))
    assert "Fichier lexique_bassins.csv, ligne 1, colonne « BE19 »" in message
    assert "colonne obligatoire absente" in message


def test_truncated_file(tmp_path):
    text = FILES["laposte_hexasmal.csv"]
    truncated = text[: text.index("ROUBAIX;59100")]
    message = import_fails(write_files(tmp_path, laposte_hexasmal=truncated))
    assert "Fichier laposte_hexasmal.csv, ligne 4, colonne « Code_postal »" in message
    assert "fichier tronqué" in message


def test_truncated_inside_quotes(tmp_path):
    text = FILES["bassin_emploi_communes.csv"] + '"59512,32'
    message = import_fails(write_files(tmp_path, bassin_emploi_communes=text))
    assert "Fichier bassin_emploi_communes.csv, ligne 5" in message
    assert "tronqué" in message


def test_truncated_compressed_file(tmp_path):
    write_files(tmp_path)
    source = tmp_path / "communes.csv"
    compressed = lzma.compress(source.read_bytes())
    (tmp_path / "communes.csv.xz").write_bytes(compressed[: len(compressed) // 2])
    source.unlink()
    message = import_fails(tmp_path)
    assert "Fichier communes.csv.xz : fichier compressé illisible ou tronqué" in message


def test_wrong_delimiter(tmp_path):
    text = FILES["laposte_hexasmal.csv"].replace(";", ",", 5)
    message = import_fails(write_files(tmp_path, laposte_hexasmal=text))
    assert "Fichier laposte_hexasmal.csv, ligne 1" in message
    assert "séparateur « , » (virgule) trouvé, « ; » (point-virgule) attendu" in message


def test_unknown_commune_in_a_link_file(tmp_path):
    text = FILES["laposte_hexasmal.csv"] + "59999;NULLE PART;59000;NULLE PART;;50.6, 3.1\r\n"
    message = import_fails(write_files(tmp_path, laposte_hexasmal=text))
    assert "ligne 5, colonne « Code_commune_INSEE » : commune 59999 absente" in message


@pytest.mark.parametrize(
    ("stem", "old", "new", "expected"),
    [
        ("communes", "59512|", "5951|", "ligne 4, colonne « commune_id » : code INSEE « 5951 »"),
        ("laposte_hexasmal", ";59100;", ";5910;", "colonne « Code_postal » : code postal « 5910 »"),
        ("laposte_hexasmal", "50.6879774811, ", "50,68797; ", "valeur en trop"),
        ("laposte_hexasmal", "50.6879774811, ", "nord ", "colonne « coordonnees_gps »"),
        ("lexique_bassins", "59512,I,32,59,", "59512,I,32,62,", "colonne « DEP »"),
        ("bassin_emploi_communes", "59512,3217", "59512,32A7", "colonne « code_bassin_emploi »"),
    ],
)
def test_bad_values_name_their_column(tmp_path, stem, old, new, expected):
    text = FILES[f"{stem}.csv"].replace(old, new)
    assert expected in import_fails(write_files(tmp_path, **{stem: text}))


def test_empty_and_missing_files(tmp_path):
    assert "ligne 1 : fichier vide" in import_fails(write_files(tmp_path, communes=""))
    (tmp_path / "communes.csv").unlink()
    assert "Fichier communes.csv : fichier introuvable" in import_fails(tmp_path)


def _state():
    return (
        list(Commune.objects.order_by("pk").values_list("pk", "name", "bassin_id", "is_former")),
        list(PostalCode.objects.order_by("pk").values_list("pk", "commune_id", "code")),
        BassinEmploi.objects.count(),
        GeoImport.objects.count(),
    )


def test_bad_input_writes_nothing(tmp_path):
    call_command("import_geo", str(write_files(tmp_path)), stdout=StringIO())
    before = _state()
    renamed = FILES["lexique_bassins.csv"].replace("Roubaix", "Roubaix-Nouveau")
    broken = FILES["bassin_emploi_communes.csv"] + "59512\n"
    import_fails(write_files(tmp_path, lexique_bassins=renamed, bassin_emploi_communes=broken))
    assert _state() == before


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    def fail(*args):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(territory, "_sync_postal_codes", fail)
    with pytest.raises(RuntimeError):
        territory.import_territory(write_files(tmp_path))
    assert not Commune.objects.exists()
    assert not BassinEmploi.objects.exists()


def test_reimport_changes_nothing_and_applies_changes(tmp_path):
    call_command("import_geo", str(write_files(tmp_path)), stdout=StringIO())
    before = _state()
    call_command("import_geo", str(tmp_path), stdout=StringIO())
    assert _state()[:3] == before[:3]
    moved = FILES["laposte_hexasmal.csv"].replace(";59100;", ";59101;")
    call_command(
        "import_geo", str(write_files(tmp_path, laposte_hexasmal=moved)), stdout=StringIO()
    )
    roubaix = Commune.objects.get(insee_code="59512")
    assert list(roubaix.postal_codes.values_list("code", flat=True)) == ["59101"]


def test_a_commune_gone_from_the_files_is_kept_as_former(tmp_path):
    call_command("import_geo", str(write_files(tmp_path)), stdout=StringIO())
    without_lys = {
        name.removesuffix(".csv"): "".join(
            line for line in text.splitlines(keepends=True) if "59367" not in line[:6]
        )
        for name, text in FILES.items()
    }
    call_command("import_geo", str(write_files(tmp_path, **without_lys)), stdout=StringIO())
    lys = Commune.objects.get(insee_code="59367")
    assert lys.is_former
    assert not lys.postal_codes.exists()
    assert not Commune.objects.get(insee_code="59512").is_former
