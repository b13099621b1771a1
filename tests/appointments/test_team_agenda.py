"""Team agenda: a director opens any colleague's agenda of the structure and books in it; a
référent those of the colleagues who share the follow-up of their persons; nobody crosses
structures (``structures.roles`` capabilities, ``appointments.perms`` rules with loaders)."""

import pytest
from django.urls import reverse

from tests.appointments.conftest import weekday_at
from tests.appointments.factories import AppointmentFactory
from tests.factories import StructureFactory
from tests.people.factories import PersonFactory, follow
from tisserand.appointments import perms
from tisserand.appointments.models import Appointment, Attendance, Mode
from tisserand.people.models import FollowUpRole
from tisserand.structures.roles import Capability, Role, roles_with


def agenda_url(user):
    return reverse("appointments:colleague_agenda", args=[user.public_id])


def book_url(user, person):
    url = reverse("appointments:book_in_agenda", args=[user.public_id])
    return f"{url}?personne={person.public_id}"


@pytest.fixture
def colleague_person(referent):
    """A person the référent follows, with an appointment next weekday at 10:00."""
    person = PersonFactory(owner_structure=referent.structure, first_name="Nora", last_name="Aït")
    follow(person, referent)
    AppointmentFactory(
        person=person,
        counsellor=referent.user,
        structure=referent.structure,
        starts_at=weekday_at(1, 10),
        subject="Bilan de mi-parcours",
    )
    return person


def booking(when, counsellor):
    return {
        "day": when.date().isoformat(),
        "time": when.strftime("%H:%M"),
        "duration_minutes": "45",
        "counsellor": counsellor.pk,
        "mode": Mode.ON_SITE,
        "place": "Bureau 2",
        "subject": "Point d'étape",
        "attendance": Attendance.PLANNED,
    }


def test_the_capabilities_table():
    assert roles_with(Capability.OPEN_STRUCTURE_AGENDAS) == {Role.DIRECTOR}
    assert roles_with(Capability.OPEN_TEAM_AGENDAS) == {Role.REFERENT}


# --- Director ---------------------------------------------------------------------------------


def test_a_director_opens_a_colleagues_agenda_and_books_in_it(
    client_for, make_member, structure, referent, colleague_person
):
    director = make_member(Role.DIRECTOR, structure=structure)
    client = client_for(director)
    own = client.get(reverse("appointments:agenda")).content.decode()
    assert agenda_url(referent.user) in own
    day = weekday_at(1, 10).date().isoformat()
    page = client.get(agenda_url(referent.user) + f"?vue=semaine&date={day}")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Bilan de mi-parcours" in content and str(colleague_person) in content
    assert client.get(book_url(referent.user, colleague_person)).status_code == 200
    when = weekday_at(2, 15)
    response = client.post(book_url(referent.user, colleague_person), booking(when, referent.user))
    assert response.status_code == 302
    booked = Appointment.objects.get(subject="Point d'étape")
    assert (booked.counsellor, booked.structure, booked.created_by) == (
        referent.user,
        structure,
        director.user,
    )


def test_a_director_books_only_for_a_person_the_colleague_follows(
    client_for, make_member, structure, referent
):
    director = make_member(Role.DIRECTOR, structure=structure)
    stranger = PersonFactory(owner_structure=structure)
    client = client_for(director)
    assert client.get(book_url(referent.user, stranger)).status_code == 403
    response = client.post(
        book_url(referent.user, stranger), booking(weekday_at(2, 15), referent.user)
    )
    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_a_director_of_another_structure_is_denied(
    client_for, make_member, referent, colleague_person
):
    outsider = make_member(Role.DIRECTOR, structure=StructureFactory())
    client = client_for(outsider)
    assert client.get(agenda_url(referent.user)).status_code == 403
    response = client.post(
        book_url(referent.user, colleague_person), booking(weekday_at(2, 15), referent.user)
    )
    assert response.status_code == 403
    assert Appointment.objects.count() == 1
    assert (
        agenda_url(referent.user) not in client.get(reverse("appointments:agenda")).content.decode()
    )


def test_an_unknown_colleague_or_person_is_not_found(client_for, make_member, structure, referent):
    director = make_member(Role.DIRECTOR, structure=structure)
    client = client_for(director)
    assert client.get(agenda_url(PersonFactory())).status_code == 404  # a person is no user
    url = reverse("appointments:book_in_agenda", args=[referent.user.public_id])
    assert client.get(f"{url}?personne=pas-un-identifiant").status_code == 404


# --- Référent ---------------------------------------------------------------------------------


def test_a_referent_opens_the_agenda_of_their_team_only(
    client_for, make_member, structure, referent, colleague_person
):
    # The référent's colleague who is in the team of one of their persons…
    teammate = make_member(Role.REFERENT, structure=structure)
    follow(colleague_person, teammate, role=FollowUpRole.TEAM)
    # …and one who is not.
    other = make_member(Role.REFERENT, structure=structure)
    assert set(perms.agenda_colleagues(referent)) == {teammate.user}
    client = client_for(referent)
    assert client.get(agenda_url(teammate.user)).status_code == 200
    assert client.get(agenda_url(other.user)).status_code == 403
    when = weekday_at(2, 11)
    response = client.post(book_url(teammate.user, colleague_person), booking(when, teammate.user))
    assert response.status_code == 302
    assert Appointment.objects.get(subject="Point d'étape").counsellor == teammate.user


@pytest.mark.parametrize("role", [Role.PARTNER, Role.BUSINESS, Role.ADMIN, Role.FUNDER])
def test_other_roles_do_not_open_colleagues_agendas(
    client_for, make_member, structure, referent, role
):
    member = make_member(role, structure=structure)
    assert client_for(member).get(agenda_url(referent.user)).status_code == 403
    assert not perms.agenda_colleagues(member).exists()
