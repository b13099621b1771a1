"""The ROME import on a small pack made here: content, idempotence, new versions, zip."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from tests.referentials.rome.packs import APPELLATIONS, FICHES, LINKS, SKILLS, without, write_pack
from tisserand.referentials.rome.importing.csvfiles import ImportRefused
from tisserand.referentials.rome.importing.rome_import import import_rome
from tisserand.referentials.rome.models import (
    Appellation,
    Fiche,
    FicheContext,
    FicheInterest,
    FicheSkill,
    ImportRun,
    Mobility,
    Skill,
)


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list())
        for model in (Fiche, Appellation, Skill, FicheSkill, FicheContext, Mobility, FicheInterest)
    }


@pytest.fixture
def pack(tmp_path):
    return write_pack(tmp_path / "RefRomeCsv")


def test_import_reads_every_file_of_the_pack(pack):
    run = import_rome(pack)
    assert run.version == "4.60" and run.kind == ImportRun.Kind.ROME
    assert run.stats["lignes"]["fiches"] == 3
    fiche = Fiche.objects.get(code="M1805")
    assert fiche.label == "Développeur / Développeuse informatique"
    assert fiche.parent_code == "M1805" and not fiche.has_parent
    assert Fiche.objects.get(code="A1102").parent_code == "A1101"
    assert (fiche.riasec_major, fiche.riasec_minor) == ("I", "C")
    assert (fiche.domain_code, fiche.major_domain_code) == ("M18", "M")
    assert fiche.is_executive is True and fiche.is_regulated is False
    # Phrases in their order; the doubled apostrophes of the official file are undone.
    assert fiche.definition_lines() == [
        "Conçoit des logiciels.",
        "Participe à l'analyse des besoins",
    ]
    assert Fiche.objects.get(code="A1101").access == "Accessible avec un CAP."
    assert fiche.first_version == "4.60" and not fiche.is_obsolete

    rare = Appellation.objects.get(code_ogr=11988)
    assert rare.is_rarely_used and rare.classification == "SYNONYME" and rare.fiche.code == "A1101"
    assert rare.search_text == "tractoriste agricole"
    assert Appellation.objects.get(code_ogr=38935).search_text == (
        "developpeur developpeuse informatique"
    )

    tractor = Skill.objects.get(code_ogr=100023)
    assert tractor.kind == "savoir_faire" and tractor.macro.code_ogr == 300230
    assert Skill.objects.get(code_ogr=300230).is_macro
    assert Skill.objects.get(code_ogr=300230).riasec_major == "R"
    assert Skill.objects.get(code_ogr=300412).kind == "savoir_etre"
    python = Skill.objects.get(code_ogr=100700)
    assert (python.kind, python.category, python.subcategory) == (
        "savoir",
        "Techniques professionnelles",
        "Langages informatiques",
    )
    rubriques = dict(
        FicheSkill.objects.filter(fiche__code="A1101").values_list("skill__code_ogr", "rubrique")
    )
    assert rubriques == {100023: 1, 100024: 1, 300412: 2, 100003: 3}
    core = FicheSkill.objects.exclude(coeur_metier="").values_list(
        "fiche__code", "skill__code_ogr", "coeur_metier"
    )
    assert set(core) == {("A1101", 100023, "principale"), ("M1805", 100600, "emergente")}
    assert FicheContext.objects.filter(fiche__code="A1102", context__code_ogr=126450).exists()
    assert list(
        Mobility.objects.filter(source__code="M1805").values_list("target__code", "rank")
    ) == [("A1101", 2)]
    assert FicheInterest.objects.get(fiche__code="A1101").is_main


def test_reimporting_the_same_version_changes_nothing(pack):
    import_rome(pack)
    before = snapshot()
    run = import_rome(pack)
    assert snapshot() == before
    assert all(change == {"inchangés": True} for change in run.stats["changements"].values())
    assert ImportRun.objects.count() == 2


def test_a_new_version_updates_in_place_and_keeps_vanished_codes_as_obsolete(tmp_path):
    import_rome(write_pack(tmp_path / "v460"))
    developer_pk = Fiche.objects.get(code="M1805").pk
    programmer_pk = Appellation.objects.get(code_ogr=38936).pk
    renamed = [list(FICHES[0]), *FICHES[1:2]]
    renamed[0][3] = "Conducteur / Conductrice de machines agricoles"
    newer = write_pack(
        tmp_path / "v461",
        version="461",
        referentiel_code_rome=renamed,
        cr_gd_dp=[["A1101", "", "A", "Agriculture", "A11", "Engins"]],
        referentiel_code_rome_riasec=[["A1101", "R", ""]],
        texte=[["A1101", "3", "definition", "1", "Conduit des machines agricoles."]],
        referentiel_appellation=without(APPELLATIONS, "38935", "38936", "11988"),
        referentiel_competence=without(SKILLS, "300500", "100600"),
        liens_rome_referentiels=[
            link for link in LINKS if link[0] != "M1805" and link[3] not in {"11988", "100024"}
        ],
        rubrique_mobilite=[["A1101", "A1102", "1"]],
        arborescence_centre_interet=[["1", "J'ai envie", "6", "A1101", "Conducteur", "oui"]],
    )
    call_command("import_rome", str(newer), stdout=io.StringIO())

    developer = Fiche.objects.get(code="M1805")
    assert developer.pk == developer_pk
    assert developer.is_obsolete and developer.obsolete_since_version == "4.61"
    programmer = Appellation.objects.get(code_ogr=38936)
    assert programmer.pk == programmer_pk and programmer.is_obsolete
    assert Skill.objects.get(code_ogr=100600).is_obsolete
    assert not Skill.objects.get(code_ogr=100023).is_obsolete
    driver = Fiche.objects.get(code="A1101")
    assert driver.label == "Conducteur / Conductrice de machines agricoles"
    assert driver.definition == "Conduit des machines agricoles." and not driver.is_obsolete
    assert set(
        FicheSkill.objects.filter(fiche=driver).values_list("skill__code_ogr", flat=True)
    ) == {100023, 300412, 100003}
    # The links of a vanished fiche stay as they were, for the records that use it.
    assert FicheSkill.objects.filter(fiche=developer).count() == 3
    assert Mobility.objects.filter(source=developer).count() == 1
    assert not Mobility.objects.filter(source__code="A1102").exists()

    # The code comes back in a later version: it is current again.
    import_rome(write_pack(tmp_path / "v462", version="462"))
    developer.refresh_from_db()
    assert not developer.is_obsolete and developer.obsolete_since_version == ""


def test_an_older_version_is_refused(tmp_path):
    import_rome(write_pack(tmp_path / "v461", version="461"))
    with pytest.raises(ImportRefused, match="antérieure à la version 4.61"):
        import_rome(write_pack(tmp_path / "v460", version="460"))


def test_the_official_zip_is_read_as_published(pack, tmp_path):
    archive = tmp_path / "RefRomeCsv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in pack.iterdir():
            zipped.write(path, f"RefRomeCsv/{path.name}")
    run = import_rome(archive)
    assert run.source == "RefRomeCsv.zip" and Fiche.objects.count() == 3


def test_the_command_reports_a_missing_file_and_writes_nothing(pack):
    (pack / "unix_rubrique_mobilite_v460_utf8.csv").unlink()
    with pytest.raises(CommandError, match="unix_rubrique_mobilite_vNNN_utf8.csv"):
        call_command("import_rome", str(pack))
    assert not Fiche.objects.exists()


def test_files_of_two_versions_are_refused(pack):
    (pack / "unix_texte_v460_utf8.csv").rename(pack / "unix_texte_v461_utf8.csv")
    with pytest.raises(ImportRefused, match="plusieurs versions"):
        import_rome(pack)
