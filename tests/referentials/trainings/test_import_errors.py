"""Bad LHÉO input: a French message naming the file, the line and the element; nothing written."""

import gzip

import pytest
from django.core.management import CommandError, call_command

from tests.referentials.trainings.conftest import (
    DEMO_FILE,
    demo_bytes,
    demo_text,
    line_of,
    mutated,
)
from tisserand.referentials.trainings import referentials
from tisserand.referentials.trainings.importer import import_lheo, import_lheo_file
from tisserand.referentials.trainings.lheo import LheoError
from tisserand.referentials.trainings.models import Session, Training, TrainingBody

FILENAME = "offres.xml"


def refused(data, filename=FILENAME):
    with pytest.raises(LheoError) as caught:
        import_lheo(data, filename)
    assert not Training.objects.exists()
    assert not TrainingBody.objects.exists()
    message = str(caught.value)
    assert message.startswith("Import refusé : ")
    assert "rien n'a été enregistré" in message
    return caught.value


def only_problem(error):
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


def test_latin_bytes_in_a_file_declared_utf8_are_refused():
    data = demo_bytes().replace(b'encoding="ISO-8859-15"', b'encoding="UTF-8"')
    problem = only_problem(refused(data))
    assert "encodage incorrect" in problem.message
    assert "ISO-8859-15" in problem.message
    assert problem.line == line_of(data, "démonstration")  # the first accent, in a comment
    assert f"fichier « {FILENAME} », ligne {problem.line}" in problem.render(FILENAME)


def test_utf8_bytes_in_a_file_declared_iso_8859_15_are_refused():
    data = demo_text().encode("utf-8")
    problem = only_problem(refused(data))
    assert (
        "l'en-tête XML déclare ISO-8859-15 mais le contenu est encodé en UTF-8" in problem.message
    )
    assert problem.line == line_of(data, "démonstration", encoding="utf-8")


def test_a_truncated_file_is_refused():
    data = demo_bytes()[:5000]
    problem = only_problem(refused(data))
    assert problem.message.startswith("fichier tronqué")
    assert problem.line == data.count(b"\n") + 1


def test_an_empty_file_is_refused():
    assert only_problem(refused(b"")).message == "le fichier est vide."


def test_a_file_that_is_not_lheo_is_refused():
    problem = only_problem(refused(b'<?xml version="1.0"?>\n<catalogue/>'))
    assert "ce n'est pas un fichier LHÉO 2.2 ou 2.3" in problem.message
    assert problem.element == "catalogue"


def test_a_missing_mandatory_element_is_a_schema_violation():
    old = "<intitule-formation>Titre professionnel Cuisinier</intitule-formation>\n"
    data = mutated(old, "")
    problem = only_problem(refused(data))
    assert problem.message.startswith("non conforme au schéma LHÉO 2.3")
    assert problem.element == "objectif-formation"  # found where the title was expected
    assert problem.line == line_of(data, "<objectif-formation>Préparer, cuire")
    assert "intitule-formation" in problem.message


def test_a_badly_formatted_date_is_a_schema_violation():
    data = mutated("<debut>20270111</debut>", "<debut>2027-01-11</debut>")
    error = refused(data)
    assert error.problems[0].element == "debut"
    assert error.problems[0].line == line_of(data, "<debut>2027-01-11")
    assert "valeur" in error.problems[0].message


def test_an_unknown_attribute_is_named():
    data = mutated(
        '<formation numero="DEMO-F-002">', '<formation numero="DEMO-F-002" couleur="bleu">'
    )
    problem = refused(data).problems[0]
    assert (problem.element, problem.attribute) == ("formation", "couleur")
    assert "attribut « couleur »" in problem.render(FILENAME)


def test_an_impossible_date_is_refused():
    data = mutated("<debut>20270111</debut>", "<debut>20270231</debut>")
    problem = only_problem(refused(data))
    assert problem.message.startswith("date « 20270231 » impossible")
    assert (problem.element, problem.line) == ("debut", line_of(data, "<debut>20270231"))


def test_a_session_ending_before_it_starts_is_refused():
    data = mutated("<fin>20270409</fin>", "<fin>20261231</fin>")
    problem = only_problem(refused(data))
    assert "finit (31/12/2026) avant de commencer (11/01/2027)" in problem.message
    assert problem.element == "periode"


def test_an_invalid_rome_code_is_refused():
    data = mutated("<code-ROME>K2204</code-ROME>", "<code-ROME>Z2204</code-ROME>")
    problem = only_problem(refused(data))
    assert problem.message.startswith("code ROME « Z2204 » invalide")
    assert (problem.element, problem.line) == ("code-ROME", line_of(data, "Z2204"))


def test_an_unknown_rome_code_is_refused_when_the_referential_is_loaded(monkeypatch):
    monkeypatch.setattr(referentials, "known_rome_codes", lambda codes: set(codes) - {"K2204"})
    problem = only_problem(refused(demo_bytes()))
    assert problem.message == "code ROME « K2204 » inconnu du référentiel ROME chargé."
    assert (problem.element, problem.line) == ("code-ROME", line_of(demo_bytes(), "K2204"))


def test_an_unknown_commune_is_refused_when_communes_are_loaded(monkeypatch):
    monkeypatch.setattr(referentials, "known_communes", lambda codes: set(codes) - {"59599"})
    data = demo_bytes()
    error = refused(data)
    assert {p.message for p in error.problems} == {
        "code commune INSEE « 59599 » inconnu du référentiel des communes."
    }
    assert error.problems[0].element == "code-INSEE-commune"
    text = data.decode("iso-8859-15").splitlines()
    assert all("<code-INSEE-commune>59599" in text[p.line - 1] for p in error.problems)


def test_an_invalid_commune_code_is_refused():
    data = mutated(
        "<code-INSEE-commune>59367</code-INSEE-commune>",
        "<code-INSEE-commune>5936X</code-INSEE-commune>",
    )
    problem = only_problem(refused(data))
    assert problem.message.startswith("code commune INSEE « 5936X » invalide")


def test_an_invalid_siret_is_refused():
    data = mutated("<SIRET>90000003500015</SIRET>", "<SIRET>90000003500016</SIRET>")
    problem = only_problem(refused(data))
    assert problem.message.startswith("SIRET « 90000003500016 » invalide")
    assert (problem.element, problem.line) == ("SIRET", line_of(data, "90000003500016"))


def test_an_invalid_price_is_refused():
    data = mutated(
        "<prix-total-TTC>2800</prix-total-TTC>", "<prix-total-TTC>2 800 EUR</prix-total-TTC>"
    )
    problem = only_problem(refused(data))
    assert problem.message.startswith("prix « 2 800 EUR » invalide")


def test_out_of_range_coordinates_are_refused():
    data = mutated("<latitude>50.7230</latitude>", "<latitude>507.230</latitude>", count=-1)
    error = refused(data)
    assert {p.message for p in error.problems} == {"latitude « 507.230 » hors des bornes (±90)."}
    assert {p.element for p in error.problems} == {"latitude"}


def test_a_duplicate_training_id_is_refused():
    data = mutated('<formation numero="DEMO-F-002">', '<formation numero="DEMO-F-001">')
    problem = only_problem(refused(data))
    assert "identifiant « DEMO-F-001 » déjà utilisé" in problem.message
    assert (problem.element, problem.attribute) == ("formation", "numero")


def test_every_problem_is_listed_at_once():
    text = demo_text().replace("<code-ROME>K2204</code-ROME>", "<code-ROME>Z2204</code-ROME>")
    data = mutated("<debut>20270111</debut>", "<debut>20270231</debut>", text=text)
    assert len(refused(data).problems) == 2


def test_a_bad_file_leaves_a_previous_import_untouched():
    import_lheo_file(DEMO_FILE)
    before = list(Session.objects.values_list("pk", "start_date", "lheo_id"))
    data = mutated("<debut>20270111</debut>", "<debut>20270231</debut>")
    with pytest.raises(LheoError):
        import_lheo(data, FILENAME)
    assert list(Session.objects.values_list("pk", "start_date", "lheo_id")) == before


def test_a_corrupted_compressed_file_is_refused(tmp_path):
    path = tmp_path / "offres.xml.gz"
    path.write_bytes(gzip.compress(demo_bytes())[:2000])
    with pytest.raises(LheoError, match="fichier compressé illisible ou tronqué"):
        import_lheo_file(path)


def test_the_command_stops_with_the_french_message(tmp_path):
    path = tmp_path / "offres.xml"
    path.write_bytes(mutated("<debut>20270111</debut>", "<debut>20270231</debut>"))
    with pytest.raises(CommandError) as caught:
        call_command("import_lheo", str(path))
    assert "fichier « offres.xml », ligne" in str(caught.value)
    assert "élément <debut>" in str(caught.value)
    assert not Training.objects.exists()


def test_a_22_file_is_validated_against_the_structure_of_23():
    from tests.referentials.trainings.conftest import ONISEP_FILE

    text = ONISEP_FILE.read_text(encoding="utf-8")
    data = text.replace("<certifiante>1</certifiante>\n", "").encode("utf-8")
    problem = only_problem(refused(data))
    assert problem.message.startswith(
        "non conforme à la structure LHÉO (fichier 2.2 vérifié avec le schéma 2.3)"
    )
    assert problem.element == "contact-formation"


def test_a_22_file_in_iso_8859_15_is_read_with_its_accents():
    from tests.referentials.trainings.conftest import ONISEP_FILE

    text = ONISEP_FILE.read_text(encoding="utf-8")
    text = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-15"')
    report = import_lheo(text.encode("iso-8859-15"), "onisep-latin.xml")
    assert (report.version, report.encoding) == ("2.2", "ISO-8859-15")
    assert Training.objects.get().title == "BTS négociation et relation client"
