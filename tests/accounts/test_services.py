"""The account's own service: the profile's names, compared with the stored row."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tisserand.accounts.services import update_profile
from tisserand.core.actor import Actor
from tisserand.core.models import TimelineEvent
from tisserand.core.timeline import events_for

pytestmark = pytest.mark.django_db


def test_update_profile_records_only_the_names_that_changed():
    user = UserFactory(first_name="Léa", last_name="Martin")
    update_profile(user, data={"first_name": "Léa", "last_name": "Durand"}, actor=Actor(user))
    user.refresh_from_db()
    assert user.last_name == "Durand"
    event = events_for(user).get(verb=TimelineEvent.Verb.CHANGED)
    assert event.actor == user
    assert [(c["before"], c["after"]) for c in event.changes] == [("Martin", "Durand")]


def test_an_unchanged_profile_records_nothing():
    user = UserFactory(first_name="Léa", last_name="Martin")
    update_profile(user, data={"first_name": "Léa", "last_name": "Martin"}, actor=Actor(user))
    assert not events_for(user).exists()


def test_the_profile_page_saves_through_the_service(client_for, make_member):
    membership = make_member()
    response = client_for(membership).post(
        reverse("accounts:profile"), {"first_name": "Nouveau", "last_name": "Nom"}
    )
    assert response.status_code == 302
    membership.user.refresh_from_db()
    assert membership.user.get_full_name() == "Nouveau Nom"
    assert events_for(membership.user).filter(verb=TimelineEvent.Verb.CHANGED).count() == 1
