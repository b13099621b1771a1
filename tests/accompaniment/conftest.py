import datetime

import pytest

from tests.accompaniment.factories import programme
from tests.people.factories import PersonFactory
from tisserand.accompaniment import services
from tisserand.accompaniment.services import Actor
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.roles import Role

ENTRY = datetime.date(2025, 1, 6)


@pytest.fixture(autouse=True)
def _vocabularies():
    """The controlled vocabularies (barrier themes, exit types…) the rules check codes against."""
    load_vocabularies()


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
