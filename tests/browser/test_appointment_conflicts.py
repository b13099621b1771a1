"""Booking over another appointment: the warning and the confirmation box are shown (axe),
nothing is saved until the counsellor ticks it."""

from tests.appointments.factories import AppointmentFactory
from tests.appointments.test_conflicts import TUESDAY, at
from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory, follow
from tisserand.appointments.models import Appointment
from tisserand.structures.roles import Role


def test_a_clash_is_confirmed_before_it_is_saved(
    page, login, make_member, structure, assert_accessible
):
    referent = make_member(Role.REFERENT, structure=structure)
    person = PersonFactory(owner_structure=structure, first_name="Léa", last_name="Martin")
    follow(person, referent)
    AppointmentFactory(
        person=person, counsellor=referent.user, structure=structure, starts_at=at(TUESDAY, 14)
    )
    login(referent.user.email, TEST_PASSWORD)

    page.goto(f"/rendez-vous/personne/{person.public_id}/nouveau/")
    page.get_by_label("Date").fill(TUESDAY.isoformat())
    page.get_by_label("Heure").fill("14:15")
    page.get_by_label("Objet").fill("Deuxième entretien")
    page.get_by_label("Sur place").check()
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    page.wait_for_load_state()
    warning = page.locator("#conflicts")
    assert "a déjà un rendez-vous" in warning.inner_text()
    assert Appointment.objects.count() == 1
    assert_accessible(page)
    page.get_by_label("Je confirme ce rendez-vous malgré ces alertes").check()
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    page.wait_for_url("**/rendez-vous/*/")
    assert "enregistré avec Léa MARTIN" in page.locator(".messages").inner_text()
    assert Appointment.objects.count() == 2
