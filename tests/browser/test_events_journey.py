"""Events, end to end in Chromium: an officer creates an event with two sessions; a counsellor
invites three persons and registers two; a resident registers through the public page; a
cancellation promotes the waiting list; attendance is taken and the sign-in sheet downloaded;
a job dating's slot matrix is filled and the interview outcome shows on the person's
timeline. axe on every page of the way."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.companies.factories import EstablishmentFactory
from tests.events.factories import EventFactory, SessionFactory, soon
from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory, follow
from tisserand.core.actor import Actor
from tisserand.events import services
from tisserand.events.models import Event, Registration, Session, Status
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.roles import Role

NAMES = [("Léa", "Martin"), ("Karim", "Benali"), ("Inès", "Dupont"), ("Hugo", "Leroy"),
         ("Nadia", "Haddad")]  # fmt: skip


def _switch_user(page, login, membership):
    page.context.clear_cookies()
    login(membership.user.email, TEST_PASSWORD)


def test_event_journey(page, login, make_member, structure, assert_accessible):
    load_vocabularies()
    officer = make_member(Role.BUSINESS, structure=structure)
    counsellor = make_member(Role.REFERENT, structure=structure)
    persons = []
    for first, last in NAMES:
        person = PersonFactory(owner_structure=structure, first_name=first, last_name=last)
        follow(person, counsellor)
        persons.append(person)

    # The officer creates a public event (two places) and adds a second session.
    login(officer.user.email, TEST_PASSWORD)
    page.goto("/evenements/")
    assert_accessible(page)
    page.get_by_role("link", name="Nouvel événement").click()
    assert_accessible(page)
    first_day = soon(days=8).date()
    page.get_by_label("Type d'événement").select_option("workshop")
    page.get_by_label("Titre").fill("Atelier CV et lettre de motivation")
    page.get_by_label("Public (page publique et inscription en ligne)").check()
    page.get_by_label("Adresse", exact=True).fill("12 rue du Grand Chemin")
    page.get_by_label("Date (obligatoire)", exact=True).fill(first_day.isoformat())
    page.get_by_label("Heure de début").fill("09:30")
    page.get_by_label("Nombre de places").fill("2")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier CV et lettre de motivation")
    event = Event.objects.get()
    page.get_by_role("link", name="Ajouter une séance").click()
    page.get_by_label("Date (obligatoire)", exact=True).fill(
        (first_day + timedelta(days=7)).isoformat()
    )
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Nombre de places").fill("10")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.get_by_text("La séance est ajoutée.").wait_for()
    assert event.sessions.count() == 2
    assert_accessible(page)
    first, second = event.sessions.order_by("starts_at")

    # The counsellor invites three persons to the second session and registers two to the
    # first (which is then full).
    _switch_user(page, login, counsellor)
    page.goto(f"/evenements/{event.public_id}/")
    page.get_by_role("link", name="Inviter ou inscrire des personnes").click()
    assert_accessible(page)
    page.get_by_label("Séance").select_option(str(second.pk))
    for person in persons[:3]:
        page.get_by_label(str(person)).check()
    page.get_by_role("button", name="Inviter", exact=True).click()
    page.get_by_text("3 personnes invitées.").wait_for()
    page.get_by_role("link", name="Inviter ou inscrire des personnes").click()
    page.get_by_label("Séance").select_option(str(first.pk))
    for person in persons[3:]:
        page.get_by_label(str(person)).check()
    page.get_by_role("button", name="Inscrire", exact=True).click()
    page.get_by_text("2 personnes inscrites.").wait_for()
    assert_accessible(page)
    assert Registration.objects.filter(session=second, status=Status.INVITED).count() == 3

    # A resident registers through the public page: the first session is full, so the
    # waiting list.
    page.context.clear_cookies()
    page.goto("/evenements-publics/")
    assert_accessible(page)
    page.get_by_role("link", name="Atelier CV et lettre de motivation").click()
    assert_accessible(page)
    page.get_by_label(first.long_label().capitalize()).check()
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Durand")
    page.get_by_label("Adresse e-mail").fill("camille.durand@exemple.invalid")
    page.get_by_label("J'accepte que mes coordonnées").check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.locator(".badge")).to_have_text("Liste d'attente")
    assert_accessible(page)
    resident = Registration.objects.get(email="camille.durand@exemple.invalid")
    assert resident.status == Status.WAITING

    # The counsellor cancels Hugo's registration: Camille is promoted and told.
    _switch_user(page, login, counsellor)
    page.goto(f"/evenements/{event.public_id}/")
    page.get_by_role("button", name="Annuler l'inscription de Hugo LEROY").click()
    page.locator(".alert", has_text="sort de la liste d'attente").wait_for()
    resident.refresh_from_db()
    assert resident.status == Status.REGISTERED
    assert any(
        message.to == ["camille.durand@exemple.invalid"]
        and "place s'est libérée" in message.subject
        for message in mail.outbox
    )

    # The session has begun: the officer takes the attendance and downloads the sheet.
    Session.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - timedelta(minutes=15),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    _switch_user(page, login, officer)
    page.goto(f"/evenements/seances/{first.public_id}/presences/")
    assert_accessible(page)
    nadia = page.get_by_role("group", name="Nadia HADDAD")
    nadia.get_by_label("Présent").check()
    camille = page.get_by_role("group", name="Camille Durand")
    camille.get_by_label("Absent", exact=True).check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.get_by_text("Présences enregistrées").wait_for()
    assert Registration.objects.get(session=first, person=persons[4]).status == Status.PRESENT
    with page.expect_download() as download:
        page.get_by_role("link", name="Feuille d'émargement (PDF)").click()
    assert download.value.suggested_filename.startswith("emargement-")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # A job dating: the counsellor proposes Léa; the officer fills the grid and records the
    # outcome, which shows on Léa's timeline.
    dating = EventFactory(
        structure=structure, event_type="job_dating", title="Job dating logistique"
    )
    SessionFactory(event=dating, starts_at=soon(days=5, hour=9), ends_at=soon(days=5, hour=10))
    services.add_company(
        dating,
        establishment=EstablishmentFactory(name="Entrepôts du Nord"),
        needs="Préparateurs de commandes",
        actor=Actor.of(officer),
    )
    _switch_user(page, login, counsellor)
    page.goto(f"/evenements/{dating.public_id}/entreprises/")
    page.get_by_label("Personne").select_option(label=str(persons[0]))
    page.get_by_role("button", name="Proposer").click()
    page.get_by_text("La candidature est proposée.").wait_for()
    _switch_user(page, login, officer)
    page.goto(f"/evenements/{dating.public_id}/entreprises/")
    assert_accessible(page)
    page.get_by_label("Candidat à 09:00 chez Entrepôts du Nord").select_option(
        label=str(persons[0])
    )
    page.get_by_role("button", name="Enregistrer").first.click()
    page.get_by_text("Le créneau est enregistré.").wait_for()
    page.get_by_label(f"Résultat de l'entretien de {persons[0]}").select_option("hired")
    page.get_by_role("button", name="Résultat").first.click()
    page.get_by_text("Le résultat de l'entretien est enregistré.").wait_for()
    assert_accessible(page)
    _switch_user(page, login, counsellor)
    page.goto(f"/personnes/{persons[0].public_id}/")
    page.get_by_text("Entretien avec Entrepôts du Nord").first.wait_for()
    assert "recruté" in page.content()
