"""The person page's timeline: events about several records, at a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import StructureFactory
from tests.people.factories import PersonFactory, follow
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent


def person_page(client, person, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:detail", args=[person.public_id]), params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_an_event_about_two_persons_shows_on_both_pages(client_for, referent, person, structure):
    other = PersonFactory(owner_structure=structure, first_name="Karim", last_name="Haddad")
    follow(other, referent)
    workshop = StructureFactory(name="Atelier CV")
    timeline.record(
        workshop, TimelineEvent.Verb.ACTION, "Atelier CV : présents", about=[person, other]
    )
    client = client_for(referent)
    for shown in (person, other):
        assert "Atelier CV : présents" in person_page(client, shown)[0]
    stranger = PersonFactory(owner_structure=structure)
    follow(stranger, referent)
    assert "Atelier CV : présents" not in person_page(client, stranger)[0]


def add_events_about(person, indexes):
    """Events on other records about the person and others, each with several mentions."""
    others = [PersonFactory(owner_structure=person.owner_structure) for _ in range(2)]
    for index in indexes:
        subject = StructureFactory()
        timeline.record(
            subject, TimelineEvent.Verb.ACTION, f"Mention {index}", about=[person, *others]
        )
        timeline.record(person, TimelineEvent.Verb.ACTION, f"Sur la fiche {index}")


def test_person_page_queries_do_not_grow_with_events_and_mentions(client_for, referent, person):
    client = client_for(referent)
    add_events_about(person, range(2))
    _, small = person_page(client, person)
    add_events_about(person, range(2, 32))
    html, large = person_page(client, person)
    assert large == small
    assert "Mention 31" in html and "Sur la fiche 31" in html
    html, second_page = person_page(client, person, historique=2)
    assert second_page == small
    assert "Mention 0" not in html and "Mention 21" in html
