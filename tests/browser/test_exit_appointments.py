"""Recording an exit lists the person's appointments to come with the structure: the counsellor
keeps one, the others are cancelled (axe on the exit page)."""

import re
from datetime import timedelta

from django.utils import timezone

from tests.accompaniment.conftest import ENTRY, ensure_initial_data
from tests.accompaniment.factories import programme
from tests.appointments.factories import AppointmentFactory
from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory
from tisserand.accompaniment import services
from tisserand.appointments.models import Appointment
from tisserand.core.actor import Actor
from tisserand.structures.roles import Role


def test_an_exit_cancels_the_appointments_to_come_but_the_one_kept(
    page, login, make_member, structure, assert_accessible
):
    ensure_initial_data()
    referent = make_member(Role.REFERENT, structure=structure)
    person = PersonFactory(owner_structure=structure, first_name="Léa", last_name="Martin")
    accompaniment = services.open_accompaniment(
        person,
        programme=programme(),
        referent=referent.user,
        entry_date=ENTRY,
        actor=Actor.of(referent),
    )
    now = timezone.now()
    booked = {
        subject: AppointmentFactory(
            person=person,
            counsellor=referent.user,
            structure=structure,
            starts_at=now + timedelta(days=days),
            subject=subject,
        )
        for subject, days in (("Point CV", 2), ("Atelier entretien", 9))
    }
    login(referent.user.email, TEST_PASSWORD)

    page.goto(f"/accompagnement/{accompaniment.public_id}/sortie/")
    main = page.locator("main")
    assert "2 rendez-vous à venir avec la structure" in main.inner_text()
    assert_accessible(page)
    page.get_by_label("Type de sortie").select_option(label="Déménagement")
    page.get_by_label(re.compile("Atelier entretien")).check()
    page.get_by_role("button", name="Enregistrer la sortie").click()
    page.wait_for_url(re.compile(r"#sortie$"))
    assert "1 rendez-vous à venir annulé." in page.locator(".messages").inner_text()
    assert Appointment.objects.get(pk=booked["Point CV"].pk).is_cancelled
    assert not Appointment.objects.get(pk=booked["Atelier entretien"].pk).is_cancelled
