"""An officer logs a visit on a company's journal, records a need and routes it to a partner
(the suggestion shows it), who takes it in charge from their inbox; axe on every page."""

from tests.companies.factories import ContactFactory, EstablishmentFactory, NeedSubjectFactory
from tests.companies.relations_factories import RoutingRuleFactory
from tests.factories import TEST_PASSWORD
from tisserand.companies.models import AssignmentStatus, Interaction, NeedAssignment
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role


def test_officer_logs_a_visit_routes_a_need_and_a_partner_takes_it(
    page, login, make_member, assert_accessible
):
    officer = make_member(Role.BUSINESS, structure__kind=StructureKind.MAISON_EMPLOI)
    partner = make_member(Role.PARTNER, structure__name="Cap Entreprises Roubaix")
    company = EstablishmentFactory(name="Logistique de l'Épeule")
    ContactFactory(establishment=company, first_name="Nadia", last_name="Benali")
    subject = NeedSubjectFactory(label="Recruter des préparateurs de commandes")
    RoutingRuleFactory(structure=partner.structure, label="Recrutement", subjects=[subject])

    login(officer.user.email, TEST_PASSWORD)
    page.goto(f"/entreprises/{company.public_id}/journal/")
    assert_accessible(page)
    page.get_by_label("Type d'échange").select_option("visit")
    page.get_by_label("Date de l'échange").fill("2026-11-20")
    page.get_by_label("Contact rencontré").select_option(label="Nadia Benali")
    page.get_by_label("Compte rendu").fill("Visite du dépôt : trois postes à pourvoir.")
    page.get_by_label("Prochaine action", exact=True).fill("Envoyer des candidatures")
    page.get_by_label("Date de la prochaine action").fill("2026-12-15")
    page.get_by_role("button", name="Enregistrer l'échange").click()
    page.wait_for_load_state()
    assert "Échange enregistré" in page.locator(".messages").inner_text()
    assert Interaction.objects.get().next_action == "Envoyer des candidatures"
    assert_accessible(page)

    page.goto(f"/entreprises/{company.public_id}/besoins/nouveau/")
    assert_accessible(page)
    page.get_by_label("Sujet").select_option(label=subject.label)
    page.get_by_label("Description").fill("Trois CDI, débutants acceptés.")
    page.get_by_role("button", name="Enregistrer le besoin").click()
    page.wait_for_url("**/orienter/")
    assert "Cap Entreprises Roubaix" in page.locator("#suggestions-title + p + ul").inner_text()
    assert_accessible(page)
    page.get_by_label("Cap Entreprises Roubaix").check()
    page.get_by_role("button", name="Orienter le besoin").click()
    page.wait_for_load_state()
    assert "Besoin orienté" in page.locator(".messages").inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    login(partner.user.email, TEST_PASSWORD)
    page.goto("/entreprises/besoins/")
    assert_accessible(page)
    page.get_by_role("link", name="Logistique de l'Épeule").click()
    page.wait_for_load_state()
    page.get_by_label("Réponse de Cap Entreprises Roubaix").select_option("taken")
    page.get_by_role("button", name="Enregistrer la réponse").click()
    page.wait_for_load_state()
    assert "Réponse enregistrée" in page.locator(".messages").inner_text()
    assert "Pris en charge" in page.locator(".summary").inner_text()
    assert NeedAssignment.objects.get().status == AssignmentStatus.TAKEN
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path="/tmp/companies-need-375.png", full_page=True)
    assert_accessible(page)
