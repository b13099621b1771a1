import pytest

from tests.events.factories import EventFactory, SessionFactory
from tisserand.core.actor import Actor
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.roles import Role


@pytest.fixture(autouse=True)
def _vocabularies():
    load_vocabularies()


@pytest.fixture
def organiser(make_member, structure):
    """A business-relations officer of ``structure``, who organises its events."""
    return make_member(Role.BUSINESS, structure)


@pytest.fixture
def organiser_actor(organiser):
    return Actor.of(organiser)


@pytest.fixture
def event(structure, organiser):
    return EventFactory(structure=structure, created_by=organiser.user)


@pytest.fixture
def session(event):
    return SessionFactory(event=event, capacity=3)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs the messages queued on commit (the test's transaction never commits)."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield callbacks
