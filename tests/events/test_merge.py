"""Merging two records of a person: their registrations and candidacies follow the survivor;
a registration to a session both were in goes (and frees its seat)."""

from tests.people.factories import PersonFactory, follow
from tisserand.core.actor import Actor
from tisserand.events import services
from tisserand.events.models import Registration, Session, Status
from tisserand.people.merging import merge_persons


def test_merge_settles_a_double_registration(structure, referent, person, session):
    duplicate = PersonFactory(
        owner_structure=structure, first_name=person.first_name, last_name=person.last_name
    )
    follow(duplicate, referent)
    actor = Actor.of(referent)
    services.register(session, participant={"person": person}, actor=actor)
    services.register(session, participant={"person": duplicate}, actor=actor)
    assert Session.objects.get(pk=session.pk).seats_taken == 2
    merge_persons(person, duplicate, actor=actor)
    assert list(Registration.objects.values_list("person_id", "status")) == [
        (person.pk, Status.REGISTERED)
    ]
    assert Session.objects.get(pk=session.pk).seats_taken == 1
