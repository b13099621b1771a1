"""The journey of issue 4 in a real browser, axe on each page: create a person (with the
duplicate warning on a near-duplicate), open an accompaniment, diagnose, set the project, plan
actions, book and attend an appointment, export the caseload, record the exit and its 6-month
follow-up."""

import datetime
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.accompaniment.conftest import ensure_initial_data
from tests.accompaniment.factories import appellation
from tests.appointments.conftest import weekday_at
from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory, follow
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.accompaniment.models import (
    Accompaniment,
    BarrierAssessment,
    PlanAction,
    ProfessionalProject,
)
from tisserand.appointments.models import Appointment, Attendance
from tisserand.referentials.geo import qpv_index
from tisserand.referentials.rome import search
from tisserand.structures.roles import Role

UUID = r"[0-9a-f-]{36}"


@pytest.fixture
def referent_of_the_journey(make_member, settings):
    """A référent following Karim Haddad, with the programmes, a territory and a ROME title."""
    settings.TISSERAND_GEOCODER = "offline"
    ensure_initial_data()
    make_roubaix_area()
    appellation(label="Boulanger / Boulangère", rome_code="D1102")
    search.invalidate()
    member = make_member(Role.REFERENT)
    existing = PersonFactory(
        owner_structure=member.structure,
        first_name="Karim",
        last_name="Haddad",
        birth_date=datetime.date(1988, 4, 12),
    )
    follow(existing, member)
    yield member
    qpv_index.invalidate()
    search.invalidate()


def go(page, link_name, url_pattern):
    page.get_by_role("link", name=link_name).first.click()
    page.wait_for_url(re.compile(url_pattern))


def create_person_through_the_duplicate_warning(page, assert_accessible):
    page.goto("/personnes/nouvelle/")
    page.get_by_label("Prénom").fill("Karim")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Hadad")
    page.get_by_label("Date de naissance").fill("1988-04-12")
    page.get_by_label("Homme").check()
    page.get_by_label("Adresse", exact=True).fill("3 rue de Lannoy")
    page.get_by_label("Code postal").fill("59100")
    page.get_by_role("combobox", name="Commune").press_sequentially("roub")
    page.get_by_role("option", name="Roubaix (59100)").click()
    page.get_by_label("Demandeur d'emploi").check()
    page.get_by_label("Dans cette situation depuis").fill("2024-03-01")
    page.get_by_role("button", name="Créer la fiche").last.click()
    page.wait_for_load_state()
    warning = page.get_by_role("alert")
    assert "Cette personne a peut-être déjà une fiche" in warning.inner_text()
    expect(warning.get_by_role("link", name="Karim HADDAD")).to_be_visible()
    assert_accessible(page)
    warning.get_by_label("J'ai vérifié : il s'agit d'une autre personne").check()
    warning.get_by_role("button", name="Créer la fiche").click()
    page.wait_for_url(re.compile(rf"/personnes/{UUID}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Karim HADAD")
    assert_accessible(page)
    return page.url


def open_accompaniment(page, assert_accessible, entry):
    go(page, "Ouvrir un accompagnement", r"/accompagnement/personnes/.*/nouveau/$")
    assert_accessible(page)
    page.get_by_label("Programme").select_option(label="Accompagnement renforcé")
    page.get_by_label("Date d'entrée").fill(entry.isoformat())
    page.get_by_role("group", name="En situation de handicap").get_by_label("Non").check()
    page.get_by_role("button", name="Ouvrir l'accompagnement").click()
    page.wait_for_url(re.compile(rf"/accompagnement/{UUID}/$"))
    assert "entre dans le programme" in page.locator(".messages").inner_text()
    assert_accessible(page)
    return page.url


def diagnose(page, assert_accessible, entry):
    go(page, "Réviser le diagnostic et voir son historique", r"/diagnostic/$")
    assert_accessible(page)
    page.get_by_label("Date du diagnostic").fill(entry.isoformat())
    page.get_by_label("Mobilité : niveau").select_option(label="Frein important")
    page.get_by_label("Mobilité : commentaire").fill("Pas de permis, horaires décalés.")
    page.get_by_label("Numérique : niveau").select_option(label="Frein léger")
    page.get_by_role("button", name="Enregistrer le diagnostic").click()
    page.wait_for_url(re.compile(rf"/accompagnement/{UUID}/#diagnostic$"))
    assert (
        "Pas de permis, horaires décalés." in page.locator("#diagnostic").locator("..").inner_text()
    )
    assert BarrierAssessment.objects.count() == 2


def set_project(page, assert_accessible):
    go(page, "Définir le projet", r"/projet/$")
    assert_accessible(page)
    page.get_by_role("combobox", name="Ajouter un métier visé").press_sequentially("boulang")
    page.get_by_role("option", name="Boulanger / Boulangère (D1102)").click()
    page.get_by_label("CDI", exact=True).check()
    page.get_by_label("Temps plein").check()
    page.get_by_label("Rayon de mobilité (km)").fill("15")
    page.get_by_role("button", name="Enregistrer le projet").click()
    page.wait_for_url(re.compile(r"/projet/$"))
    assert "Boulanger / Boulangère (D1102)" in page.locator("main").inner_text()
    assert_accessible(page)
    project = ProfessionalProject.objects.get()
    assert (project.contract_types, project.mobility_radius_km) == (["cdi"], 15)


def plan_actions(page, assert_accessible, detail_url, entry):
    page.goto(detail_url)
    go(page, "Compléter le plan d'action", r"/plan/$")
    page.get_by_label("Thématique").select_option(label="Mobilité")
    page.get_by_label("Objectif (obligatoire)", exact=True).fill("Obtenir le permis B")
    page.get_by_role("button", name="Ajouter l'objectif").click()
    page.wait_for_url(re.compile(r"/plan/$"))
    assert_accessible(page)
    page.get_by_text("Actions suggérées pour « Mobilité »").click()
    go(page, "Aide au financement du permis de conduire", r"/actions/nouvelle/\?suggestion=")
    assert_accessible(page)
    page.get_by_label("Autre partenaire").fill("Auto-école sociale de Roubaix")
    page.get_by_label("Début").fill((entry + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Enregistrer l'action").click()
    page.wait_for_url(re.compile(r"/plan/$"))
    assert "Auto-école sociale de Roubaix" in page.locator("main").inner_text()
    action = PlanAction.objects.get()
    assert (action.action_type, action.status) == ("driving_licence", "planned")


def book_and_attend_an_appointment(page, assert_accessible, person_url):
    yesterday = weekday_at(-1, 10).date()  # not a Sunday: no unusual-hours warning
    page.goto(person_url)
    page.get_by_role("link", name="Fixer un rendez-vous avec Karim HADAD").click()
    page.wait_for_url(re.compile(r"/rendez-vous/personne/.*/nouveau/$"))
    assert_accessible(page)
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Heure").fill("10:00")
    page.get_by_label("Objet").fill("Point sur le permis")
    page.get_by_label("Sur place").check()
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    page.wait_for_url(re.compile(rf"/rendez-vous/{UUID}/$"))
    page.get_by_role("group", name="Présence").get_by_label("Présent", exact=True).check()
    page.get_by_role("button", name="Enregistrer la présence").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert Appointment.objects.get().attendance == Attendance.PRESENT
    return yesterday


def export_the_caseload(page, assert_accessible, contact_day):
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Accompagnement"
    ).click()
    page.wait_for_url(re.compile(r"/accompagnement/$"))
    assert_accessible(page)
    row = page.locator("tbody tr", has_text="Karim HADAD")
    assert contact_day.strftime("%d/%m/%Y") in row.inner_text()
    # Filters apply as soon as they change (htmx), and the address follows them.
    page.get_by_label("Programme").select_option(label="PLIE")
    page.get_by_text("Aucun accompagnement ne correspond à ces critères.").wait_for()
    assert "programme=plie" in page.url
    assert_accessible(page)
    page.get_by_label("Programme").select_option(label="Tous les programmes")
    row.wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Exporter cette liste")).click()
    download = download_info.value
    assert download.suggested_filename.startswith("file-active-")
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(BytesIO(handle.read()))["File active"]
    rows = list(sheet.iter_rows(values_only=True))
    assert [(row[0], row[1]) for row in rows[1:]] == [("HADAD", "Karim")]


def record_exit_and_follow_up(page, assert_accessible, detail_url, exit_day):
    page.goto(detail_url)
    go(page, "Enregistrer la sortie", r"/sortie/$")
    assert_accessible(page)
    # Without a type the exit is refused, with the error next to the field.
    page.get_by_role("button", name="Enregistrer la sortie").click()
    exit_type = page.get_by_label("Type de sortie")
    assert exit_type.get_attribute("aria-invalid") == "true"
    assert "Une sortie a besoin d'un type" in page.locator("#id_exit_type-errors").inner_text()
    assert_accessible(page)
    page.get_by_label("Date de sortie").fill(exit_day.isoformat())
    exit_type.select_option(label="CDI")
    page.get_by_label("Type de contrat").select_option(label="CDI")
    page.get_by_label("Employeur").fill("Boulangerie du Centre (fictive)")
    page.get_by_role("button", name="Enregistrer la sortie").click()
    page.wait_for_url(re.compile(r"#sortie$"))
    assert "seul son suivi à 6 mois" in page.locator("main").inner_text()
    assert_accessible(page)
    assert page.get_by_role("link", name="Enregistrer la sortie").count() == 0
    go(page, "Enregistrer le suivi à 6 mois", r"/suivi-6-mois/$")
    assert_accessible(page)
    # The exit was 6 months ago: the window is open and today is offered.
    assert "Saisie possible du" in page.locator("main").inner_text()
    assert page.get_by_label("Date du contact").input_value() == timezone.localdate().isoformat()
    page.get_by_label("Situation 6 mois après la sortie").select_option(label="CDI")
    page.get_by_label("Type de contrat").select_option(label="CDI")
    page.get_by_role("button", name="Enregistrer le suivi").click()
    page.wait_for_url(re.compile(r"#sortie$"))
    assert "Suivi à 6 mois enregistré." in page.locator(".messages").inner_text()
    assert_accessible(page)


def test_the_accompaniment_journey(page, login, referent_of_the_journey, assert_accessible):
    login(referent_of_the_journey.user.email, TEST_PASSWORD)
    entry = timezone.localdate() - timedelta(days=240)
    person_url = create_person_through_the_duplicate_warning(page, assert_accessible)
    detail_url = open_accompaniment(page, assert_accessible, entry)
    diagnose(page, assert_accessible, entry)
    set_project(page, assert_accessible)
    plan_actions(page, assert_accessible, detail_url, entry)
    contact_day = book_and_attend_an_appointment(page, assert_accessible, person_url)
    export_the_caseload(page, assert_accessible, contact_day)
    record_exit_and_follow_up(
        page, assert_accessible, detail_url, timezone.localdate() - timedelta(days=185)
    )
    accompaniment = Accompaniment.objects.get()
    assert accompaniment.exit_type == "cdi"
    assert accompaniment.six_month_follow_up.situation == "cdi"
    # The person page gathers it all: panels and timeline.
    page.goto(person_url)
    for panel in ("accompaniments", "diagnosis", "project", "plan", "exits", "appointments"):
        expect(page.locator(f"#panel-{panel}")).to_be_visible()
    assert "Sortie de l'accompagnement" in page.locator(".timeline").inner_text()
    assert_accessible(page)
