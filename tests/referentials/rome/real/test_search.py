"""Job-title search over the 13,120 real appellations: accents, typos, word order, codes."""

import pytest

from tisserand.referentials.rome import search


def top(query, count=5):
    return [(a.fiche.code, a.label) for a in search.search_appellations(query, count)]


@pytest.mark.parametrize(
    ("query", "fiche", "label_start"),
    [
        ("electricien", "F1602", "Electricien / Electricienne du bâtiment"),
        ("aide soignant", "J1501", "Aide-soignant / Aide-soignante"),
        ("Aide-Soignante", "J1501", "Aide-soignant / Aide-soignante"),
        ("developpeur", "M1805", "Développeur / Développeuse informatique"),
        ("développeur informatique", "M1805", "Développeur / Développeuse informatique"),
        ("informatique developpeur", "M1805", "Développeur / Développeuse informatique"),
        # typos
        ("electricein batiment", "F1602", "Electricien / Electricienne du bâtiment"),
        ("aide soingant", "J1501", "Aide-soignant / Aide-soignante"),
        ("devlopeur informatique", "M1805", "Développeur / Développeuse informatique"),
        ("boulengé", "D1102", "Boulanger / Boulangère"),
        # typing in progress
        ("boulang", "D1102", "Boulanger / Boulangère"),
        ("chauffeur poids lourd", "N4101", "Chauffeur / Chauffeuse de poids lourd"),
    ],
)
def test_finds_the_right_appellation(query, fiche, label_start):
    results = top(query, 8)
    assert any(code == fiche and label.startswith(label_start) for code, label in results), results


def test_the_main_title_comes_first_for_a_plain_word():
    assert top("boulanger", 1) == [("D1102", "Boulanger / Boulangère")]
    assert top("aide soignant", 1) == [("J1501", "Aide-soignant / Aide-soignante")]


def test_a_rome_code_lists_the_titles_of_its_fiche():
    results = search.search_appellations("m1805", 50)
    assert {a.fiche.code for a in results} == {"M1805"}
    assert results[0].classification == "PRINCIPALE"


def test_nonsense_finds_nothing():
    assert search.search_appellations("zzqxw", 10) == []
    assert search.search_appellations("", 10) == []


def test_skills_and_naf_search():
    assert any(s.label == "Abattre un arbre" for s in search.search_skills("abatre arbre", 10))
    assert search.search_naf("62.01Z")[0].code == "6201Z"
    assert search.search_naf("6201")[0].code == "6201Z"
    assert "6201Z" in [n.code for n in search.search_naf("programation informatique", 5)]


def test_the_index_follows_a_new_import(real_runs):
    index = search.appellation_index()
    assert search.appellation_index() is index
    search.invalidate()
    assert search.appellation_index() is not index


def test_the_common_meaning_comes_first():
    """« agent d'entretien » is, for most people, cleaning: before rivers, lifts or pools."""
    found = top("agent d'entretien", 8)
    assert all(code.startswith("K22") for code, _ in found[:2]), found
    rivers_lifts = {"A1202", "I1301"}
    assert not rivers_lifts & {code for code, _ in found}, found


def test_everyday_titles_the_rome_lacks_find_the_official_ones():
    assert top("femme de ménage", 2) == [
        ("K1304", "Employé / Employée de ménage"),
        ("K2205", "Agent / Agente de propreté de locaux"),
    ]
    assert top("nounou", 1) == [("K1310", "Assistant maternel / Assistante maternelle")]
