"""LHÉO: texts longer than their column are refused with their line, and no import message
passes the English of lxml / libxml2 through."""

import re

import pytest

from tests.referentials.trainings.conftest import line_of, mutated
from tests.referentials.trainings.test_import_errors import only_problem, refused

ENGLISH = re.compile(
    r"\b(the|is|not|expected|Expected|element|value|found|tag|line|mismatch|allowed)\b"
)


def test_an_identifier_longer_than_its_column_is_refused():
    long_id = "F" * 101
    data = mutated('<formation numero="DEMO-F-001">', f'<formation numero="{long_id}">')
    problem = only_problem(refused(data))
    assert problem.line == line_of(data, f'<formation numero="{long_id}">')
    assert problem.element == "formation"
    assert "101 caractères, trop long pour « identifiant LHÉO » (100 au plus)" in problem.message


def test_a_registration_address_longer_than_its_column_is_refused():
    # Each part fits the schema; put together on one line they do not fit the column.
    old = "<denomination>Site Roubaix Centre</denomination>\n<ligne>12 rue de l'Exemple</ligne>"
    lines = "".join(f"<ligne>{n} {'L' * 45}</ligne>" for n in range(3))
    data = mutated(old, f"<denomination>{'D' * 250}</denomination>{lines}")
    error = refused(data)
    problem = error.problems[0]
    assert problem.element == "session"
    assert "trop long pour « adresse d'inscription » (400 au plus)" in problem.message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<ville>Roubaix</ville>", "<ville>Roubaix</vile>"),
        ("<ville>Roubaix</ville>", "<ville>Roubaix & Co</ville>"),
        ("<ville>Roubaix</ville>", "<ville>&inconnue;</ville>"),
        ('<formation numero="DEMO-F-001">', "<formation numero=DEMO-F-001>"),
        ("</offres>", "</offres><offres/>"),
        ("</lheo>", "</lheo><encore/>"),
    ],
)
def test_malformed_xml_is_told_in_french(old, new):
    problem = only_problem(refused(mutated(old, new)))
    assert problem.line
    assert not ENGLISH.search(problem.message), problem.message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<debut>20270111</debut>", "<debut>2027-01-11</debut>"),
        ("<certifiante>1</certifiante>", "<certifiante>oui</certifiante>"),
        ("<certifiante>1</certifiante>", ""),
        (
            "<modalites-enseignement>0</modalites-enseignement>",
            "<modalites-enseignement>7</modalites-enseignement>",
        ),
        ("<codepostal>59100</codepostal>", "<codepostal>591000</codepostal>"),
        ('<formation numero="DEMO-F-001">', '<formation numero="DEMO-F-001" couleur="x">'),
        ("<certifiante>1</certifiante>", "<certifiante>1</certifiante><inconnu/>"),
    ],
)
def test_schema_violations_are_told_in_french(old, new):
    error = refused(mutated(old, new))
    for problem in error.problems:
        assert problem.message.startswith("non conforme au schéma LHÉO 2.3")
        assert not ENGLISH.search(problem.message), problem.message
