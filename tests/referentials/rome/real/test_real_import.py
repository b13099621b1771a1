"""The real ROME 4.60 pack and labour files: counts match the files; re-import is a no-op."""

import csv

from tests.referentials.rome.real.conftest import LABOUR_DIR, ROME_DIR
from tisserand.referentials.rome.importing.rome_import import import_rome
from tisserand.referentials.rome.models import (
    Appellation,
    BassinTension,
    FapTension,
    Fiche,
    FicheContext,
    FicheInterest,
    FicheSkill,
    Hiring,
    InterestCentre,
    Mobility,
    NafSection,
    NafSubclass,
    Skill,
    WorkContext,
)


def records(name, directory=ROME_DIR, delimiter=","):
    path = directory / name if directory != ROME_DIR else directory / f"unix_{name}_v460_utf8.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_counts_match_the_files(real_runs):
    links = records("liens_rome_referentiels")
    assert real_runs["rome"].version == "4.60"
    assert Fiche.objects.count() == 1584 == len(records("referentiel_code_rome"))
    assert Appellation.objects.count() == 13120 == len(records("referentiel_appellation"))
    assert Mobility.objects.count() == len(records("rubrique_mobilite")) == 14912
    assert Skill.objects.count() == len(records("referentiel_competence")) + len(
        records("referentiel_savoir")
    )
    assert Skill.objects.filter(kind="savoir").count() == 15354
    assert Skill.objects.filter(is_macro=True).count() == 507
    assert WorkContext.objects.count() == len(records("referentiel_contexte_travail"))
    assert FicheSkill.objects.count() == sum(1 for link in links if link["code_compo_bloc"] == "5")
    assert FicheContext.objects.count() == sum(
        1 for link in links if link["code_compo_bloc"] == "6"
    )
    assert InterestCentre.objects.count() == len(records("centre_interet"))
    assert FicheInterest.objects.count() == len(records("arborescence_centre_interet"))
    for rubrique in ("1", "2", "3"):
        assert FicheSkill.objects.filter(rubrique=int(rubrique)).count() == sum(
            1
            for link in links
            if link["code_compo_bloc"] == "5" and link["code_rubrique"] == rubrique
        )
    assert Appellation.objects.filter(classification="PRINCIPALE").count() == 1584
    flags = [item["coeur_metier"] for item in records("coherence_item")]
    assert FicheSkill.objects.filter(coeur_metier="principale").count() == 18900
    assert flags.count("Principale") == 18900
    assert FicheSkill.objects.filter(coeur_metier="emergente").count() == flags.count("Émergente")
    assert not Fiche.objects.filter(is_obsolete=True).exists()


def test_known_fiches(real_runs):
    developer = Fiche.objects.get(code="M1805")
    assert developer.label == "Développeur / Développeuse informatique"
    assert developer.definition.startswith("Le / La Développeur(se) informatique")
    assert "''" not in developer.definition
    assert (developer.riasec_major, developer.riasec_minor) == ("I", "C")
    child = Fiche.objects.get(code="A1102")
    assert child.parent_code == "A1101" and child.has_parent
    assert Appellation.objects.get(code_ogr=10200).fiche.code == "F1402"


def test_labour_files(real_runs):
    assert NafSection.objects.count() == 21
    assert NafSubclass.objects.count() == 732
    assert NafSubclass.objects.get(code="6201Z").section.code == "J"
    assert NafSubclass.objects.get(code="9900Z").section.code == "U"
    assert Hiring.objects.count() == len(records("rome_naf_hirings.csv", LABOUR_DIR))
    assert real_runs["hirings"].stats["lignes_non_rattachees"] == 0
    assert real_runs["hirings"].stats["codes_non_rattaches"] == 0
    assert BassinTension.objects.count() == len(
        records("tension_rome_bassin_2021.csv", LABOUR_DIR, ";")
    )
    roubaix = BassinTension.objects.filter(bassin_code="3217")
    assert roubaix.count() == 168
    assert {row.region_code for row in roubaix} == {"32"}
    assert roubaix.first().bassin_name == "Roubaix-Tourcoing (versant nord-est)"
    assert real_runs["tension"].stats["bassins_sans_nom"] == ["7549"]
    assert FapTension.objects.count() == len(records("metiers_tension_fap.csv", LABOUR_DIR))


def test_reimporting_the_real_pack_changes_nothing(real_runs):
    before = sorted(FicheSkill.objects.values_list("pk", "fiche_id", "skill_id", "rubrique"))
    fiches = sorted(Fiche.objects.values_list())
    run = import_rome(ROME_DIR)
    assert all(change == {"inchangés": True} for change in run.stats["changements"].values())
    assert sorted(FicheSkill.objects.values_list("pk", "fiche_id", "skill_id", "rubrique")) == (
        before
    )
    assert sorted(Fiche.objects.values_list()) == fiches
