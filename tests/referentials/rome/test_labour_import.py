"""NAF, hirings and tension files: content, ROME v3 → 4.0 mapping, bad input."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from tests.referentials.rome.packs import write_pack
from tisserand.referentials.rome.importing.labour import (
    SECTION_OF_DIVISION,
    import_fap_tension,
    import_hirings,
    import_naf,
    import_tension,
)
from tisserand.referentials.rome.importing.rome_import import import_rome
from tisserand.referentials.rome.models import (
    BassinTension,
    FapTension,
    Fiche,
    Hiring,
    ImportRun,
    NafSection,
    NafSubclass,
)

SECTIONS = 'code,label\nA,"Agriculture, sylviculture et pêche"\nJ,"Information et communication"\n'
SUBCLASSES = (
    "naf_id|naf_label\n0111Z|Culture de céréales\n0161Z|Activités de soutien aux cultures\n"
    "6201Z|Programmation informatique\n"
)
HIRINGS = (
    "rome_id,rome_label,naf_id,naf_label,hirings\n"
    "A1101,Conduite d'engins agricoles,0111Z,Culture,161\n"
    "A1101,Conduite d'engins agricoles,0161Z,Soutien,40\n"
    "M1805,Études et développement informatique,6201Z,Programmation,900\n"
    "K2110,Formation en conduite,6201Z,Programmation,3\n"
)
TENSION = (
    "annee;ROME;cbassin;oee;defm_abc;ind_tension_d;ind_int_emb_d;ind_main_oeuvre_d;"
    "ind_dur_empl_d;ind_cond_travail_d;ind_mismatch_geo_d;ind_specif_form_empl_d\n"
    "2021;A1101;3217;16,61538462;28,25;5;5;1;5;4;4;5\n"
    "2021;M1805;3217;120,5;80;4;4;3;2;1;2;\n"
    "2021;M1805;3216;300;150;3;4;3;2;1;2;4\n"
)
BASSINS = (
    "CODE_COMMUNE_INSEE,REG,BE19,NOMBE19\n59512,32,3217,VERSANT N-EST ROUB.TOURC.\n"
    "59367,32,3217,VERSANT N-EST ROUB.TOURC.\n59350,32,3216,LILLE\n"
)
FAP = (
    "fap_code,fap,tension_pct,rome_code,rome_label\n"
    "A0Z43,Conducteurs d'engins agricoles,61.9,A1101,CONDUITE\n"
    "M2Z90,Ingénieurs de l'informatique,70.2,M1805,ÉTUDES\n"
)


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def files(tmp_path):
    return write_labour_files(tmp_path)


def write_labour_files(tmp_path):
    """The small ROME pack imported, and the labour files written beside it."""
    import_rome(write_pack(tmp_path / "pack"))
    return {
        "sections": write(tmp_path, "naf_section_labels.csv", SECTIONS),
        "subclasses": write(tmp_path, "naf_labels.csv", SUBCLASSES),
        "hirings": write(tmp_path, "rome_naf_hirings.csv", HIRINGS),
        "tension": write(tmp_path, "tension.csv", TENSION),
        "bassins": write(tmp_path, "lexique_bassins.csv", BASSINS),
        "fap": write(tmp_path, "metiers_tension_fap.csv", FAP),
        "folder": tmp_path,
    }


def test_naf_sections_come_from_the_division_ranges(files):
    run = import_naf(files["subclasses"], files["sections"])
    assert run.kind == ImportRun.Kind.NAF
    assert NafSubclass.objects.get(code="6201Z").section.code == "J"
    assert NafSubclass.objects.get(code="0161Z").section.label.startswith("Agriculture")
    assert NafSubclass.objects.get(code="6201Z").dotted_code == "62.01Z"
    assert {SECTION_OF_DIVISION[d] for d in ("01", "03", "05", "33", "35", "43", "99")} == {
        "A",
        "B",
        "C",
        "D",
        "F",
        "U",
    }
    assert len(SECTION_OF_DIVISION) == 88
    import_naf(files["subclasses"], files["sections"])
    assert NafSection.objects.count() == 2 and NafSubclass.objects.count() == 3


def test_hirings_map_v3_codes_onto_fiches_and_count_the_unmapped(files):
    import_naf(files["subclasses"], files["sections"])
    run = import_hirings(files["hirings"])
    assert Hiring.objects.get(fiche__code="M1805").count == 900
    assert Hiring.objects.filter(fiche__code="A1101").count() == 2
    # K2110 is neither a fiche of the pack nor the parent of one.
    assert run.stats["lignes_non_rattachees"] == 1
    assert run.stats["exemples_codes_non_rattaches"] == ["K2110"]
    again = import_hirings(files["hirings"])
    assert again.stats["changements"] == {"inchangés": True}


def test_a_v3_code_without_its_own_fiche_goes_to_the_fiches_it_is_parent_of(files):
    import_naf(files["subclasses"], files["sections"])
    hirings = write(
        files["folder"],
        "parent.csv",
        "rome_id,rome_label,naf_id,naf_label,hirings\nA1101,x,0111Z,x,10\n",
    )
    # A1101 has its own fiche; make it obsolete to see the parent route.
    Fiche.objects.filter(code="A1101").update(is_obsolete=True, obsolete_since_version="4.61")
    run = import_hirings(hirings)
    hiring = Hiring.objects.get()
    assert hiring.fiche.code == "A1102" and hiring.via_parent
    assert run.stats["codes_rattaches_par_le_parent"] == 1


def test_tension_per_bassin_with_names_and_regions(files):
    run = import_tension(files["tension"], files["bassins"])
    row = BassinTension.objects.get(fiche__code="A1101", bassin_code="3217")
    assert row.bassin_name == "Roubaix-Tourcoing (versant nord-est)" and row.region_code == "32"
    assert row.job_offers == pytest.approx(16.61538462) and row.job_seekers == 28.25
    assert (row.tension, row.labour_shortage, row.training_specificity) == (5, 1, 5)
    assert row.tension_level == "très forte"
    assert (
        BassinTension.objects.get(fiche__code="M1805", bassin_code="3217").training_specificity
        is None
    )
    assert run.version == "2021" and run.stats["bassins"] == 2
    assert import_tension(files["tension"], files["bassins"]).stats["changements"] == {
        "inchangés": True
    }


def test_fap_tension(files):
    import_fap_tension(files["fap"])
    assert FapTension.objects.get(fiche__code="M1805").tension_pct == 70.2


def fails(command, *args, file, line, column, says):
    before = [
        sorted(model.objects.values_list())
        for model in (NafSubclass, Hiring, BassinTension, FapTension, ImportRun)
    ]
    with pytest.raises(CommandError) as caught:
        call_command(command, *map(str, args), stdout=io.StringIO())
    message = str(caught.value)
    assert message.startswith("Import annulé, rien n'a été écrit")
    assert f"fichier « {file} », ligne {line}, colonne « {column} »" in message, message
    assert re.search(says, message), message
    after = [
        sorted(model.objects.values_list())
        for model in (NafSubclass, Hiring, BassinTension, FapTension, ImportRun)
    ]
    assert after == before


def test_naf_in_the_wrong_encoding(files):
    write(files["folder"], "naf_labels.csv", SUBCLASSES, encoding="iso-8859-15")
    fails(
        "import_naf",
        files["subclasses"],
        files["sections"],
        file="naf_labels.csv",
        line=2,
        column="naf_label",
        says="UTF-8",
    )


def test_naf_with_the_wrong_delimiter(files):
    write(files["folder"], "naf_labels.csv", SUBCLASSES.replace("|", ","))
    fails(
        "import_naf",
        files["subclasses"],
        files["sections"],
        file="naf_labels.csv",
        line=1,
        column="naf_id",
        says="« , ».*attendu est « \\| »",
    )


def test_hirings_with_an_unknown_naf_code(files):
    import_naf(files["subclasses"], files["sections"])
    write(files["folder"], "rome_naf_hirings.csv", HIRINGS + "M1805,x,6202A,x,12\n")
    fails(
        "import_hirings",
        files["hirings"],
        file="rome_naf_hirings.csv",
        line=6,
        column="naf_id",
        says="code NAF « 6202A » inconnu",
    )


def test_hirings_with_a_missing_column(files):
    import_naf(files["subclasses"], files["sections"])
    write(files["folder"], "rome_naf_hirings.csv", HIRINGS.replace(",hirings", ",embauches"))
    fails(
        "import_hirings",
        files["hirings"],
        file="rome_naf_hirings.csv",
        line=1,
        column="hirings",
        says="colonne obligatoire absente",
    )


def test_tension_with_a_decimal_point(files):
    write(files["folder"], "tension.csv", TENSION.replace("120,5", "120.5"))
    fails(
        "import_tension",
        files["tension"],
        file="tension.csv",
        line=3,
        column="oee",
        says="virgule",
    )


def test_tension_index_out_of_range(files):
    write(files["folder"], "tension.csv", TENSION.replace(";3;4;3;2;1;2;4", ";7;4;3;2;1;2;4"))
    fails(
        "import_tension",
        files["tension"],
        file="tension.csv",
        line=4,
        column="ind_tension_d",
        says="« 7 » inattendue",
    )


def test_truncated_tension_file(files):
    write(files["folder"], "tension.csv", TENSION + "2021;A1101;3216;16,6")
    fails(
        "import_tension",
        files["tension"],
        file="tension.csv",
        line=5,
        column="defm_abc",
        says="ligne incomplète",
    )


def test_fap_with_a_wrong_percentage(files):
    write(files["folder"], "metiers_tension_fap.csv", FAP.replace("70.2", "170.2"))
    fails(
        "import_fap_tension",
        files["fap"],
        file="metiers_tension_fap.csv",
        line=3,
        column="tension_pct",
        says="entre 0 et 100",
    )


def test_labour_files_need_the_rome_first(tmp_path):
    path = write(tmp_path, "fap.csv", FAP)
    with pytest.raises(CommandError, match="import_rome"):
        call_command("import_fap_tension", str(path))
