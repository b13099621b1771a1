import datetime
import importlib

import pytest
from django.apps import apps as django_apps

from tests.accompaniment.factories import programme
from tests.people.factories import PersonFactory
from tisserand.accompaniment import services
from tisserand.accompaniment.models import Programme
from tisserand.core.actor import Actor
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.roles import Role

ENTRY = datetime.date(2025, 1, 6)


def ensure_initial_data():
    """Vocabularies, programmes and suggested actions. The programmes come from a data
    migration, but a transactional test (a browser test) of the same worker empties the
    tables: they are created again when missing."""
    load_vocabularies()
    if not Programme.objects.exists():
        initial = importlib.import_module(
            "tisserand.accompaniment.migrations.0002_programmes_and_suggested_actions"
        )
        initial.create_missing(django_apps, None)


@pytest.fixture(autouse=True)
def _initial_data():
    ensure_initial_data()


@pytest.fixture
def referent(make_member, structure):
    return make_member(Role.REFERENT, structure)


@pytest.fixture
def actor(referent):
    return Actor.of(referent)


@pytest.fixture
def person(structure):
    return PersonFactory(owner_structure=structure, first_name="Amina", last_name="Benali")


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
