"""Bad input: the command stops with a French message naming file, line and column, and
writes nothing."""

import io
import lzma
import re

import pytest
from django.core.management import CommandError, call_command

from tests.referentials.rome.packs import (
    APPELLATIONS,
    COHERENCE,
    DEFAULT_ROWS,
    HEADERS,
    LINKS,
    file_name,
    write_csv,
    write_pack,
)
from tisserand.referentials.rome.importing.rome_import import import_rome
from tisserand.referentials.rome.models import Appellation, Fiche, FicheSkill, ImportRun, Skill


def snapshot():
    return [
        sorted(model.objects.values_list())
        for model in (Fiche, Appellation, Skill, FicheSkill, ImportRun)
    ]


def import_fails(path, *, file, line, column, says):
    """Runs the command, checks the message, returns it."""
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("import_rome", str(path), stdout=io.StringIO())
    message = str(caught.value)
    assert message.startswith("Import annulé, rien n'a été écrit")
    assert f"fichier « {file} »" in message
    assert f"ligne {line}," in message
    assert f"colonne « {column} »" in message
    assert re.search(says, message), message
    assert snapshot() == before
    return message


def rewrite(pack, key, rows=None, header=None, **options):
    header = header or HEADERS[key]
    rows = DEFAULT_ROWS[key] if rows is None else rows
    return write_csv(pack / file_name(key), header, rows, **options)


@pytest.fixture
def pack(tmp_path):
    return write_pack(tmp_path / "pack")


def test_wrong_encoding(pack):
    rewrite(pack, "referentiel_appellation", encoding="iso-8859-15")
    import_fails(
        pack,
        file="unix_referentiel_appellation_v460_utf8.csv",
        line=4,  # « Débardeur »: the first accented letter
        column="libelle_appellation_long",
        says="encodé en UTF-8.*ISO-8859-15",
    )


def test_missing_column(pack):
    header = [name for name in HEADERS["referentiel_appellation"] if name != "classification"]
    rows = [row[:9] + row[10:] for row in APPELLATIONS]
    rewrite(pack, "referentiel_appellation", rows, header)
    import_fails(
        pack,
        file="unix_referentiel_appellation_v460_utf8.csv",
        line=1,
        column="classification",
        says="colonne obligatoire absente",
    )


def test_truncated_file(pack):
    path = rewrite(pack, "liens_rome_referentiels")
    path.write_bytes(path.read_bytes()[:-4])  # cut inside the last quoted value
    import_fails(
        pack,
        file="unix_liens_rome_referentiels_v460_utf8.csv",
        line=len(LINKS) + 1,
        column="code_ogr",
        says="tronqué",
    )


def test_truncated_line_without_quotes(pack):
    path = rewrite(pack, "rubrique_mobilite")
    path.write_text(path.read_text() + '"M1805","A1102"\n')
    import_fails(
        pack,
        file="unix_rubrique_mobilite_v460_utf8.csv",
        line=5,
        column="numero_ordre",
        says="2 colonne.*au lieu de 3",
    )


def test_wrong_delimiter(pack):
    rewrite(pack, "rubrique_mobilite", delimiter=";")
    import_fails(
        pack,
        file="unix_rubrique_mobilite_v460_utf8.csv",
        line=1,
        column="code_rome",
        says="séparateur.*« ; ».*attendu est « , »",
    )


def test_unknown_skill_in_the_link_file(pack):
    rewrite(pack, "liens_rome_referentiels", [*LINKS, ["M1805", "5", "1", "999999"]])
    import_fails(
        pack,
        file="unix_liens_rome_referentiels_v460_utf8.csv",
        line=len(LINKS) + 2,
        column="code_ogr",
        says="code de compétence « 999999 » inconnu",
    )


def test_unknown_rome_code_in_the_link_file(pack):
    rewrite(pack, "liens_rome_referentiels", [*LINKS[:3], ["Z9999", "6", "", "23374"], *LINKS[3:]])
    import_fails(
        pack,
        file="unix_liens_rome_referentiels_v460_utf8.csv",
        line=5,
        column="code_rome",
        says="code ROME « Z9999 » inconnu",
    )


def test_appellation_linked_to_another_fiche(pack):
    rewrite(pack, "liens_rome_referentiels", [*LINKS, ["M1805", "2", "", "11987"]])
    import_fails(
        pack,
        file="unix_liens_rome_referentiels_v460_utf8.csv",
        line=len(LINKS) + 2,
        column="code_rome",
        says="rattachée à la fiche « A1101 »",
    )


def test_core_flag_on_a_skill_the_fiche_does_not_have(pack):
    rewrite(pack, "coherence_item", [*COHERENCE, ["A1102", "100600", "Principale"]])
    import_fails(
        pack,
        file="unix_coherence_item_v460_utf8.csv",
        line=len(COHERENCE) + 2,
        column="code_ogr",
        says="compétence « 100600 » n'est pas liée à la fiche « A1102 »",
    )


def test_unexpected_core_flag(pack):
    rewrite(pack, "coherence_item", [["A1101", "100024", "Secondaire"], *COHERENCE])
    import_fails(
        pack,
        file="unix_coherence_item_v460_utf8.csv",
        line=2,
        column="coeur_metier",
        says="« Secondaire » inattendue",
    )


def test_bad_values(pack):
    rows = [list(row) for row in APPELLATIONS]
    rows[2][9] = "AUTRE"
    rewrite(pack, "referentiel_appellation", rows)
    import_fails(
        pack,
        file="unix_referentiel_appellation_v460_utf8.csv",
        line=4,
        column="classification",
        says="« AUTRE » inattendue",
    )


def test_duplicate_code(pack):
    rewrite(pack, "referentiel_appellation", [*APPELLATIONS, APPELLATIONS[1]])
    import_fails(
        pack,
        file="unix_referentiel_appellation_v460_utf8.csv",
        line=7,
        column="code_ogr",
        says="« 11988 » en double \\(déjà ligne 3\\)",
    )


def test_line_numbers_count_the_lines_of_multi_line_values(pack):
    rows = [
        ["1", "Créer", "Une définition\nsur deux lignes."],
        ["2", "Aider", "Une autre\nsur\ntrois lignes."],
        ["x3", "Soigner", ""],
    ]
    rewrite(pack, "centre_interet", rows)
    import_fails(
        pack,
        file="unix_centre_interet_v460_utf8.csv",
        line=7,
        column="code_centre_interet",
        says="« x3 » n'est pas un nombre entier",
    )


def test_a_bad_new_version_leaves_the_current_one_untouched(pack, tmp_path):
    import_rome(pack)
    newer = write_pack(tmp_path / "v461", version="461")
    path = newer / file_name("referentiel_competence", "461")
    path.write_bytes(path.read_bytes().replace(b"Savoir-faire", b"Savoir-faire-X", 1))
    import_fails(
        newer,
        file="unix_referentiel_competence_v461_utf8.csv",
        line=2,
        column="cat_comp",
        says="« Savoir-faire-X » inattendue",
    )


def test_a_broken_compressed_file(pack):
    path = pack / file_name("texte")
    compressed = path.with_name(path.name + ".xz")
    compressed.write_bytes(lzma.compress(path.read_bytes())[:-20])
    path.unlink()
    before = snapshot()
    with pytest.raises(CommandError, match="unix_texte_v460_utf8.csv.xz.*illisible ou tronquée"):
        call_command("import_rome", str(pack))
    assert snapshot() == before
