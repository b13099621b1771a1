"""Values too long for the CSV reader or for their column: refused with file, line and column,
and nothing written — never a traceback, never stored whole or cut."""

import pytest

from tests.referentials.rome.packs import APPELLATIONS, CONTEXTS, HEADERS, write_pack
from tests.referentials.rome.test_labour_import import (
    BASSINS,
    FAP,
    HIRINGS,
    SUBCLASSES,
    TENSION,
    fails,
    write,
    write_labour_files,
)
from tests.referentials.rome.test_rome_bad_input import import_fails, rewrite
from tisserand.referentials.rome.importing.labour import import_naf

HUGE = "x" * 200_000  # beyond the 131 072 characters the csv module reads in one field


@pytest.fixture
def pack(tmp_path):
    return write_pack(tmp_path / "pack")


@pytest.fixture
def files(tmp_path):
    return write_labour_files(tmp_path)


def test_a_huge_quoted_field_in_the_rome_pack(pack):
    rows = [list(row) for row in APPELLATIONS]
    rows[1][1] = HUGE
    rewrite(pack, "referentiel_appellation", rows)
    import_fails(
        pack,
        file="unix_referentiel_appellation_v460_utf8.csv",
        line=3,
        column="libelle_appellation_long",
        says="200000 caractères",
    )


def test_a_huge_field_in_the_header(pack):
    header = [*HEADERS["referentiel_contexte_travail"], HUGE]
    rewrite(pack, "referentiel_contexte_travail", [[*row, ""] for row in CONTEXTS], header)
    message = import_fails(
        pack,
        file="unix_referentiel_contexte_travail_v460_utf8.csv",
        line=1,
        column=f"n° {len(header)}",
        says="200000 caractères",
    )
    assert "en-tête illisible" not in message


def test_an_appellation_longer_than_its_column(pack):
    rows = [list(row) for row in APPELLATIONS]
    rows[2][2] = "D" * 251
    rewrite(pack, "referentiel_appellation", rows)
    import_fails(
        pack,
        file="unix_referentiel_appellation_v460_utf8.csv",
        line=4,
        column="libelle_appellation_court",
        says="251 caractères.*250 au plus",
    )


def test_a_work_context_type_longer_than_its_column(pack):
    rows = [list(row) for row in CONTEXTS]
    rows[0][3] = "T" * 201
    rewrite(pack, "referentiel_contexte_travail", rows)
    import_fails(
        pack,
        file="unix_referentiel_contexte_travail_v460_utf8.csv",
        line=2,
        column="libelle_type_cont_trav",
        says="201 caractères.*200 au plus",
    )


@pytest.mark.parametrize(
    "command, key, name, text, line, column",
    [
        ("import_naf", "subclasses", "naf_labels.csv", SUBCLASSES, 3, "naf_label"),
        ("import_hirings", "hirings", "rome_naf_hirings.csv", HIRINGS, 3, "rome_label"),
        ("import_tension", "tension", "tension.csv", TENSION, 3, "oee"),
        ("import_fap_tension", "fap", "metiers_tension_fap.csv", FAP, 3, "fap"),
    ],
)
def test_a_huge_field_in_a_labour_file(files, command, key, name, text, line, column):
    import_naf(files["subclasses"], files["sections"])
    lines = text.splitlines()
    delimiter = "|" if command == "import_naf" else ";" if command == "import_tension" else ","
    fields = lines[line - 1].split(delimiter)
    position = lines[0].split(delimiter).index(column)
    fields[position] = f'"{HUGE}"'
    lines[line - 1] = delimiter.join(fields)
    write(files["folder"], name, "\n".join(lines) + "\n")
    args = [files[key]] + ([files["sections"]] if command == "import_naf" else [])
    fails(command, *args, file=name, line=line, column=column, says="200000 caractères")


def test_a_naf_label_longer_than_its_column(files):
    write(files["folder"], "naf_labels.csv", SUBCLASSES + f"6202A|{'L' * 251}\n")
    fails(
        "import_naf",
        files["subclasses"],
        files["sections"],
        file="naf_labels.csv",
        line=5,
        column="naf_label",
        says="251 caractères.*250 au plus",
    )


def test_a_naf_section_label_longer_than_its_column(files):
    write(files["folder"], "naf_section_labels.csv", f"code,label\nA,Agriculture\nJ,{'J' * 300}\n")
    fails(
        "import_naf",
        files["subclasses"],
        files["sections"],
        file="naf_section_labels.csv",
        line=3,
        column="label",
        says="300 caractères.*250 au plus",
    )


def test_a_fap_label_longer_than_its_column(files):
    write(files["folder"], "metiers_tension_fap.csv", FAP.replace("Ingénieurs", "I" * 260))
    fails(
        "import_fap_tension",
        files["fap"],
        file="metiers_tension_fap.csv",
        line=3,
        column="fap",
        says="caractères.*250 au plus",
    )


def test_a_bassin_name_longer_than_its_column(files):
    write(files["folder"], "lexique_bassins.csv", BASSINS.replace(",LILLE", "," + "L" * 151))
    fails(
        "import_tension",
        files["tension"],
        "--bassins",
        files["bassins"],
        file="lexique_bassins.csv",
        line=4,
        column="NOMBE19",
        says="151 caractères.*150 au plus",
    )


def test_a_region_code_longer_than_its_column(files):
    write(files["folder"], "lexique_bassins.csv", BASSINS.replace("59350,32", "59350,321"))
    fails(
        "import_tension",
        files["tension"],
        "--bassins",
        files["bassins"],
        file="lexique_bassins.csv",
        line=4,
        column="REG",
        says="321",
    )
