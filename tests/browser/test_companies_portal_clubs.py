"""An officer invites a company contact; the contact creates their account from the e-mail's
link, lands on their company's portal and registers to an HR club session; the officer sees
the registration and marks the attendance. The GPEC pages never scroll sideways at 375 px.
axe: no serious or critical violation on these pages."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from tests.browser.test_small_screens import OVERFLOW, PHONE
from tests.companies.factories import (
    ContactFactory,
    EstablishmentFactory,
    HrClubFactory,
    NeedSubjectFactory,
)
from tests.companies.portal_helpers import leader_of, toolkit
from tests.factories import TEST_PASSWORD
from tisserand.companies.models import HrClubMember, HrClubRegistration, HrClubSession, Need
from tisserand.structures.roles import Role


@pytest.fixture
def club_world(make_member):
    officer = make_member(Role.BUSINESS)
    company = EstablishmentFactory(name="Menuiserie Delcroix")
    contact = ContactFactory(
        establishment=company,
        first_name="Sarah",
        last_name="Delcroix",
        email="sarah@menuiserie.test",
    )
    club = HrClubFactory(name="Club RH des TPE", structure=officer.structure, animator=officer.user)
    HrClubMember.objects.create(
        club=club, establishment=company, joined_on=datetime.date(2025, 1, 1)
    )
    session = HrClubSession.objects.create(
        club=club,
        date=timezone.localdate() + datetime.timedelta(days=14),
        title="Entretiens professionnels",
        place="Maison de l'Emploi",
        capacity=12,
    )
    NeedSubjectFactory(label="Recruter un premier salarié")
    return officer, company, contact, club, session


def test_an_invited_leader_registers_to_a_club_session(page, login, club_world, assert_accessible):
    officer, company, contact, club, session = club_world
    login(officer.user.email, TEST_PASSWORD)
    page.goto(f"/entreprises/{company.public_id}/dirigeants/")
    assert_accessible(page)
    page.get_by_label("Contact à inviter").select_option(label=str(contact))
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state()
    assert "Invitation envoyée à sarah@menuiserie.test" in page.get_by_role("status").inner_text()
    link = re.search(r"https?://\S+/portail/invitation/\S+/", mail.outbox[-1].body).group(0)
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()

    page.goto(link)
    assert_accessible(page)
    page.locator("#id_password1").fill("Menuiserie-Roubaix-2026")
    page.locator("#id_password2").fill("Menuiserie-Roubaix-2026")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(re.compile(rf"/portail/{company.public_id}/$"))
    assert "Entretiens professionnels" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("navigation", name="Portail de l'entreprise").get_by_role(
        "link", name="Clubs RH"
    ).click()
    page.get_by_label("Qui participera à « Entretiens professionnels » ?").select_option(
        label=str(contact)
    )
    page.get_by_role("button", name="S'inscrire").click()
    page.wait_for_load_state()
    assert "Inscription enregistrée" in page.get_by_role("status").inner_text()
    assert "Sarah Delcroix est inscrit·e." in page.locator("main").inner_text()
    assert_accessible(page)
    assert HrClubRegistration.objects.filter(session=session, contact=contact).exists()

    page.get_by_role("navigation", name="Portail de l'entreprise").get_by_role(
        "link", name="Besoins"
    ).click()
    page.get_by_label("Sujet").select_option(label="Recruter un premier salarié")
    page.get_by_label("Décrivez votre besoin").fill("Un menuisier poseur, en CDI.")
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_load_state()
    assert "Besoin enregistré" in page.get_by_role("status").inner_text()
    assert Need.objects.get(establishment=company).contact == contact
    assert_accessible(page)

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    login(officer.user.email, TEST_PASSWORD)
    page.goto(f"/entreprises/clubs-rh/{club.public_id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Entretiens professionnels").click()
    assert "non renseignée" in page.locator("table").inner_text()
    page.get_by_label("Présence de Sarah Delcroix").select_option("present")
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.wait_for_load_state()
    assert HrClubRegistration.objects.get(session=session).attended is True
    assert_accessible(page)


def test_the_gpec_pages_fit_a_phone(page, login, assert_accessible):
    leader = leader_of(EstablishmentFactory(name="Boulangerie du Pile"))
    toolkit(leader.establishment)
    page.set_viewport_size(PHONE)
    login(leader.user.email, TEST_PASSWORD)
    for path in ("", "postes/", "salaries/", "matrice/"):
        page.goto(f"/portail/{leader.establishment.public_id}/gpec/{path}")
        overflow = page.evaluate(OVERFLOW)
        assert overflow["page"] <= 0, (path, overflow["culprits"])
        assert_accessible(page)
