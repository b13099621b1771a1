"""The appointments panel on the person page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.appointments.conftest import local
from tests.people.factories import ConsentFactory
from tisserand.structures.roles import Role


def person_page(client, person):
    return client.get(reverse("people:detail", args=[person.public_id]))


def test_the_referent_sees_the_panel_and_books_from_it(
    client_for, referent, person, make_appointment
):
    make_appointment(starts_at=local(2, 9), subject="Point sur le CV")
    html = person_page(client_for(referent), person).content.decode()
    assert 'id="panel-appointments"' in html
    assert "Point sur le CV" in html
    assert reverse("appointments:book", args=[person.public_id]) in html


def test_a_partner_sees_the_panel_only_with_consent_and_cannot_book(
    client_for, make_member, person, make_appointment
):
    make_appointment(starts_at=local(2, 9), subject="Point sur le CV")
    partner = make_member(Role.PARTNER)
    consent = ConsentFactory(person=person, structure=partner.structure, scopes=["identity"])
    client = client_for(partner)
    assert 'id="panel-appointments"' not in person_page(client, person).content.decode()
    consent.scopes = ["identity", "appointments"]
    consent.save()
    html = person_page(client, person).content.decode()
    assert "Point sur le CV" in html
    assert reverse("appointments:book", args=[person.public_id]) not in html


def test_the_person_page_queries_do_not_grow_with_appointments(
    client_for, referent, person, make_appointment
):
    client = client_for(referent)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert person_page(client, person).status_code == 200
        return len(queries)

    make_appointment(starts_at=local(-1, 9))
    make_appointment(starts_at=local(1, 9))
    few = count()
    for day in range(2, 20):
        make_appointment(starts_at=local(day, 9))
        make_appointment(starts_at=local(-day, 9))
    assert count() == few
