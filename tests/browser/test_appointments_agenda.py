"""A référent books an appointment, finds it in the agenda and records the attendance (htmx);
axe on the booking form, the agenda and the appointment page."""

from playwright.sync_api import expect

from tests.appointments.conftest import weekday_at
from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory, follow
from tisserand.appointments.models import Appointment, Attendance
from tisserand.structures.roles import Role


def test_book_then_record_attendance_from_the_agenda(
    page, login, make_member, structure, assert_accessible
):
    referent = make_member(Role.REFERENT, structure=structure)
    person = PersonFactory(owner_structure=structure, first_name="Léa", last_name="Martin")
    follow(person, referent)
    login(referent.user.email, TEST_PASSWORD)
    yesterday = weekday_at(-1, 10).date()  # not a Sunday: no unusual-hours warning

    page.goto(f"/personnes/{person.public_id}/")
    page.get_by_role("link", name="Fixer un rendez-vous avec Léa MARTIN").click()
    page.wait_for_url(f"**/rendez-vous/personne/{person.public_id}/nouveau/")
    assert_accessible(page)
    # A first try without subject: the error is shown next to the field, and accessible.
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Heure").fill("10:00")
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    subject = page.get_by_label("Objet")
    assert subject.get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    # Entering yesterday's interview is normal.
    subject.fill("Premier entretien")
    page.get_by_label("Sur place").check()
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    page.wait_for_url("**/rendez-vous/*/")
    assert "enregistré avec Léa MARTIN" in page.locator(".messages").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Voir ce jour dans mon agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon agenda")
    assert_accessible(page)
    row = page.locator("tr", has_text="Léa MARTIN")
    row.get_by_label("Présence de Léa MARTIN").select_option(Attendance.PRESENT)
    row.get_by_role("button", name="Enregistrer la présence de Léa MARTIN").click()
    page.get_by_text("Présence enregistrée.").wait_for()
    assert Appointment.objects.get().attendance == Attendance.PRESENT
    expect(row.locator(".badge")).to_have_text("Présent")

    # Week view through htmx, then back to the day view, and the agenda stays accessible.
    page.get_by_role("link", name="Semaine", exact=True).click()
    page.locator("#agenda-period-title", has_text="Semaine du").wait_for()
    assert "vue=semaine" in page.url
    assert_accessible(page)
    page.get_by_role("link", name="Semaine suivante").click()
    page.get_by_text("Aucun rendez-vous sur la période.").wait_for()

    # The person page tells the appointment and its attendance.
    page.goto(f"/personnes/{person.public_id}/")
    panel = page.locator("#panel-appointments")
    assert "1 honoré" in panel.inner_text()
    expect(panel.locator(".badge")).to_have_text("Présent")
