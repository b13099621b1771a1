"""Issue 9, point 12: a public contact request is assigned, becomes a person's record
(duplicates checked, through the people services) and leads to booking the first
appointment."""

import datetime

import pytest
from django.urls import reverse

from tests.guidance.test_members import request_for
from tests.people.factories import PersonFactory
from tisserand.core.models import TimelineEvent
from tisserand.people.models import FollowUpMember, FollowUpRole, Person
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role


@pytest.fixture(autouse=True)
def _offline_geocoding(settings):
    settings.TISSERAND_GEOCODER = "offline"


@pytest.fixture
def mde(structure):
    structure.kind = StructureKind.MAISON_EMPLOI
    structure.save()
    return structure


@pytest.fixture
def referent(make_member, mde):
    return make_member(Role.REFERENT, mde)


@pytest.fixture
def contact(mde):
    return request_for(mde, phone="0612345678", message="Je cherche une formation.")


def assign_url(contact):
    return reverse("guidance:contact_request_assign", args=[contact.public_id])


def person_url(contact):
    return reverse("guidance:contact_request_person", args=[contact.public_id])


def person_data(**changes):
    data = {
        "first_name": "Inès",
        "last_name": "Martin",
        "birth_date": "1994-05-17",
        "gender": "female",
        "email": "ines@example.org",
        "phone": "06 12 34 56 78",
        "postal_code": "59100",
        "situation": "job_seeker",
        "availability": "immediate",
        "driving_licence": "none",
    }
    return {**data, **changes}


def test_a_counsellor_assigns_the_request_to_a_colleague(client_for, make_member, mde, contact):
    director = make_member(Role.DIRECTOR, mde)
    colleague = make_member(Role.REFERENT, mde)
    page = client_for(director).get(reverse("guidance:contact_requests")).content.decode()
    assert f'<option value="{colleague.user.pk}"' in page
    response = client_for(director).post(assign_url(contact), {"assigned_to": colleague.user.pk})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.assigned_to == colleague.user and not contact.is_handled
    assert TimelineEvent.objects.filter(summary__contains="attribuée à").exists()


def test_a_request_cannot_go_to_someone_outside_the_structure(
    client_for, make_member, referent, contact, other_structure
):
    outsider = make_member(Role.REFERENT, other_structure)
    director = make_member(Role.DIRECTOR, referent.structure)
    client_for(director).post(assign_url(contact), {"assigned_to": outsider.user.pk})
    contact.refresh_from_db()
    assert contact.assigned_to is None


@pytest.mark.parametrize("role", [Role.BUSINESS, Role.FUNDER])
def test_roles_that_do_not_handle_requests_cannot_assign_nor_create(
    client_for, make_member, mde, referent, contact, role
):
    client = client_for(make_member(role, mde))
    assert client.post(assign_url(contact), {"assigned_to": referent.user.pk}).status_code == 403
    assert client.get(person_url(contact)).status_code == 403
    contact.refresh_from_db()
    assert contact.assigned_to is None and not Person.objects.exists()


def test_another_structure_cannot_assign_nor_create(
    client_for, make_member, contact, other_structure
):
    other_structure.kind = StructureKind.MAISON_EMPLOI
    other_structure.save()
    client = client_for(make_member(Role.REFERENT, other_structure))
    assert client.post(assign_url(contact), {}).status_code == 403
    assert client.post(person_url(contact), person_data()).status_code == 403
    assert not Person.objects.exists()


def test_the_record_is_created_from_the_request_then_the_first_appointment(
    client_for, referent, contact
):
    client = client_for(referent)
    form = client.get(person_url(contact)).content.decode()
    assert 'value="Inès"' in form and 'value="06 12 34 56 78"' in form
    response = client.post(person_url(contact), person_data())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:book", args=[person.public_id])
    assert person.phone == "+33612345678" and person.owner_structure == referent.structure
    assert FollowUpMember.objects.get(person=person).role == FollowUpRole.REFERENT
    contact.refresh_from_db()
    assert contact.person == person and contact.is_handled
    assert contact.assigned_to == referent.user
    # Once created, the record is not created twice.
    assert client.get(person_url(contact)).status_code == 403


def test_a_near_duplicate_is_shown_before_anything_is_created(client_for, referent, contact):
    PersonFactory(
        owner_structure=referent.structure,
        first_name="Ines",
        last_name="Martin",
        birth_date=datetime.date(1994, 5, 17),
    )
    response = client_for(referent).post(person_url(contact), person_data())
    assert response.status_code == 200
    assert "Cette personne a peut-être déjà une fiche" in response.content.decode()
    assert Person.objects.count() == 1
    contact.refresh_from_db()
    assert contact.person is None and not contact.is_handled


def test_bad_input_creates_nothing(client_for, referent, contact):
    response = client_for(referent).post(person_url(contact), person_data(birth_date=""))
    assert response.status_code == 200
    assert not Person.objects.exists()
    contact.refresh_from_db()
    assert contact.person is None and not contact.is_handled
