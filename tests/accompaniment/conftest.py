import datetime

import pytest
from django.apps import apps as django_apps

from tests.accompaniment.factories import programme
from tisserand.accompaniment import initial_data, services
from tisserand.accompaniment.models import Programme
from tisserand.core.actor import Actor
from tisserand.referentials.vocabularies.loading import load_vocabularies

ENTRY = datetime.date(2025, 1, 6)


def ensure_initial_data():
    """Vocabularies, programmes and suggested actions. The programmes come from a data
    migration, but a transactional test (a browser test) of the same worker empties the
    tables: they are created again when missing."""
    load_vocabularies()
    if not Programme.objects.exists():
        initial_data.create_missing(django_apps)


@pytest.fixture(autouse=True)
def _initial_data():
    ensure_initial_data()


@pytest.fixture
def actor(referent):
    return Actor.of(referent)


@pytest.fixture
def person(unfollowed_person):
    """Nobody follows the person yet: opening the accompaniment makes the référent follow
    them from the entry date."""
    return unfollowed_person


@pytest.fixture
def open_accompaniment(person, referent, actor):
    """open_accompaniment(**overrides) -> an accompaniment opened through the service."""

    def make(**overrides):
        values = {
            "programme": programme(),
            "referent": referent.user,
            "entry_date": ENTRY,
            "actor": actor,
        }
        values.update(overrides)
        target = values.pop("person", person)
        return services.open_accompaniment(target, **values)

    return make


@pytest.fixture
def accompaniment(open_accompaniment):
    return open_accompaniment()
