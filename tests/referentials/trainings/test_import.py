"""Importing LHÉO files: the real 2.2 example, the shipped 2.3 demo, re-imports."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.referentials.trainings.conftest import (
    DEMO_FILE,
    ONISEP_FILE,
    demo_text,
    mutated,
)
from tisserand.referentials.trainings import importer
from tisserand.referentials.trainings.importer import import_lheo, import_lheo_file
from tisserand.referentials.trainings.models import (
    Action,
    Session,
    Training,
    TrainingBody,
    TrainingCode,
)


def counts():
    return (
        TrainingBody.objects.count(),
        Training.objects.count(),
        Action.objects.count(),
        Session.objects.count(),
        TrainingCode.objects.count(),
    )


def test_the_real_onisep_22_example_is_imported():
    report = import_lheo_file(ONISEP_FILE)
    assert (report.version, report.encoding) == ("2.2", "UTF-8")
    assert counts()[:4] == (1, 1, 1, 1)
    training = Training.objects.get()
    assert training.lheo_id == "9436_18706"
    assert training.title == "BTS négociation et relation client"
    assert training.is_certifying
    assert (training.exit_level_code, training.exit_level) == ("6", 5)
    assert training.objective.startswith("A la fois vendeur, manager et commercial")
    assert "<p>" not in training.expected_results
    assert training.url == "https://www2.cndp.fr/archivage/valid/brochadmin/bouton/c052.htm"
    codes = set(training.codes.values_list("kind", "code"))
    assert codes == {
        ("rome", "D1402"),
        ("rome", "D1403"),
        ("rome", "D1408"),
        ("formacode", "34582"),
        ("formacode", "34076"),
        ("nsf", "312"),
        ("rncp", "474"),
        ("certifinfo", "19004"),
    }
    assert training.codes.get(kind="formacode", is_principal=True).code == "34582"
    body = training.body
    assert (body.siret, body.name, body.legal_name) == ("19290076900014", "Lycée Kerneuzec", "")
    session = Session.objects.get()
    assert (session.start_date, session.end_date) == (date(2015, 9, 1), date(2017, 8, 31))
    assert (session.commune_insee, session.postal_code) == ("29233", "29391")
    assert (session.latitude, session.longitude) == (47.882108, -3.5526545)
    assert session.place_name == "Lycée Kerneuzec"
    action = Action.objects.get()
    assert action.indicative_duration == "2 ans"
    assert action.funding_possible


def test_the_demo_23_catalogue_is_imported(demo_catalogue):
    assert (demo_catalogue.version, demo_catalogue.encoding) == ("2.3", "ISO-8859-15")
    assert counts()[:4] == (4, 8, 11, 16)
    assert Training.objects.filter(is_demo=True).count() == 8
    assert Training.objects.filter(is_certifying=True).count() == 6
    assert set(Session.objects.values_list("commune_insee", flat=True)) == {
        "59512",
        "59367",
        "59599",
        "59350",
    }
    action = Action.objects.get(lheo_id="DEMO-A-001")
    assert action.total_price == Decimal("4200.00")
    assert action.hourly_price == Decimal("10.50")
    assert (action.hours_total, action.hours_center, action.hours_company) == (420, 280, 140)
    assert "0 €" in action.specific_conditions  # the euro sign of ISO-8859-15
    developer = Training.objects.get(lheo_id="DEMO-F-003")
    assert developer.exit_level == 5
    assert list(developer.codes.filter(kind="rome").values_list("code", flat=True)) == ["M1805"]
    assert developer.actions.get().teaching_mode == 1
    lys = Session.objects.get(lheo_id="DEMO-S-003")
    assert (lys.latitude, lys.longitude) == (None, None)  # located by its commune
    assert lys.place_name == "Site de Lys-lez-Lannoy"


def test_re_importing_the_same_file_changes_nothing(demo_catalogue):
    before = counts()
    ids = sorted(Session.objects.values_list("pk", "lheo_id", "action_id"))
    stamps = dict(Training.objects.values_list("pk", "updated_at"))
    report = import_lheo_file(DEMO_FILE, is_demo=True)
    assert counts() == before
    assert sorted(Session.objects.values_list("pk", "lheo_id", "action_id")) == ids
    assert dict(Training.objects.values_list("pk", "updated_at")) == stamps
    assert report.counts["trainings"]["unchanged"] == 8
    assert report.counts["sessions"]["unchanged"] == 16
    assert not report.counts["sessions"]["created"] + report.counts["sessions"]["updated"]


def test_re_importing_a_new_export_updates_in_place(demo_catalogue):
    training = Training.objects.get(lheo_id="DEMO-F-001")
    kept_session = Session.objects.get(lheo_id="DEMO-S-001")
    text = demo_text()
    text = text.replace(
        "Titre professionnel Agent de propreté et d'hygiène",
        "Titre professionnel Agent de propreté et d'hygiène (nouvelle version)",
    )
    text = text.replace('<session numero="DEMO-S-002">', '<session numero="DEMO-S-099">')
    text = text.replace("<code-ROME>K2204</code-ROME>", "<code-ROME>K2201</code-ROME>")
    data = mutated(
        "<prix-total-TTC>2800</prix-total-TTC>", "<prix-total-TTC>2900</prix-total-TTC>", text=text
    )
    report = import_lheo(data, "export-2.xml")
    training.refresh_from_db()
    assert training.title.endswith("(nouvelle version)")
    assert list(training.codes.filter(kind="rome").values_list("code", flat=True)) == ["K2201"]
    assert Session.objects.get(lheo_id="DEMO-S-001").pk == kept_session.pk
    assert not Session.objects.filter(lheo_id="DEMO-S-002").exists()
    assert Session.objects.filter(lheo_id="DEMO-S-099").exists()
    assert Action.objects.get(lheo_id="DEMO-A-006").total_price == Decimal("2900.00")
    assert report.counts["trainings"]["updated"] == 8  # the source file name changed
    assert report.counts["sessions"]["deleted"] == 1
    assert counts()[:4] == (4, 8, 11, 16)


def test_trainings_absent_from_a_partial_file_are_kept(demo_catalogue):
    import_lheo_file(ONISEP_FILE)
    assert Training.objects.count() == 9


def test_a_failure_while_storing_writes_nothing(monkeypatch):
    def broken(*args):
        raise RuntimeError("panne au milieu de l'import")

    monkeypatch.setattr(importer, "_sync_codes", broken)
    with pytest.raises(RuntimeError):
        import_lheo_file(DEMO_FILE)
    assert counts() == (0, 0, 0, 0, 0)


def test_the_command_imports_and_reports(capsys):
    call_command("import_lheo", str(DEMO_FILE), "--demo")
    out = capsys.readouterr().out
    assert "LHÉO 2.3, ISO-8859-15" in out
    assert "formations : 8 créé(e)s" in out
    assert Training.objects.filter(is_demo=True).count() == 8


def test_without_numero_the_ids_come_from_the_extras():
    text = ONISEP_FILE.read_text(encoding="utf-8")
    text = text.replace('<formation numero="9436_18706">', "<formation>")
    text = text.replace('<action numero="9436_18706">', "<action>")
    text = text.replace('<session numero="9436_18706">', "<session>")
    import_lheo(text.encode(), "sans-numero.xml")
    assert Training.objects.get().lheo_id == "FOR_ID ONISEP:9436"
    assert Action.objects.get().lheo_id == "ACT_ID ONISEP:18706"
    assert Session.objects.get().lheo_id == "20150901-20170831"  # its dates
    import_lheo(text.encode(), "sans-numero.xml")
    assert counts()[:4] == (1, 1, 1, 1)


def test_without_any_id_a_training_is_keyed_by_its_body_and_title():
    text = ONISEP_FILE.read_text(encoding="utf-8")
    text = text.replace('<formation numero="9436_18706">', "<formation>")
    text = text.replace('<extra info="FOR_ID ONISEP">9436</extra>', "")
    import_lheo(text.encode(), "sans-identifiant.xml")
    key = Training.objects.get().lheo_id
    assert key.startswith("siret-19290076900014-")
    import_lheo(text.encode(), "sans-identifiant.xml")
    assert Training.objects.get().lheo_id == key
