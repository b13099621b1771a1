"""The structures' services: cleaned data and the actor in, their own snapshot, the timeline."""

import pytest

from tisserand.core.actor import Actor
from tisserand.core.models import TimelineEvent
from tisserand.core.timeline import events_for
from tisserand.structures import services
from tisserand.structures.roles import Role

pytestmark = pytest.mark.django_db


def test_update_structure_records_what_changed_from_the_stored_row(make_member, structure):
    admin = make_member(Role.ADMIN, structure=structure)
    structure.phone = "0320111111"
    structure.save()
    data = {"name": structure.name, "phone": "0320000000"}
    services.update_structure(structure, data=data, actor=Actor.of(admin))
    structure.refresh_from_db()
    assert structure.phone == "0320000000"
    event = events_for(structure).get(verb=TimelineEvent.Verb.CHANGED)
    assert event.changes == [{"field": "téléphone", "before": "0320111111", "after": "0320000000"}]
    assert (event.actor, event.actor_structure) == (admin.user, structure)


def test_deactivating_a_membership_names_the_actor(make_member, structure):
    admin = make_member(Role.ADMIN, structure=structure)
    target = make_member(Role.REFERENT, structure=structure)
    services.deactivate_membership(target, actor=Actor.of(admin))
    target.refresh_from_db()
    assert not target.is_active
    event = events_for(structure).get(verb=TimelineEvent.Verb.STATUS_CHANGED)
    assert (event.actor, event.actor_structure) == (admin.user, structure)
