import pytest
from django.core.cache import cache

from tests.factories import MembershipFactory, StructureFactory
from tests.people.factories import PersonFactory, follow
from tisserand.structures.roles import Role


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Keep each folder's tests together in pytest-randomly's shuffled order.

    pytest-randomly shuffles the modules across the whole suite; the package-scoped fixtures
    that import the real referential files (guidance, rome/real) would then run once per
    visit. The folders still come in a random order, and their modules and tests too; this
    stable sort runs before pytest-django's, which puts the transactional tests last.
    """
    first_seen = {}
    for index, item in enumerate(items):
        first_seen.setdefault(item.path.parent, index)
    items.sort(key=lambda item: first_seen[item.path.parent])


@pytest.fixture(autouse=True)
def _db_for_all(db):
    """Every test may use the database (rolled back after each test)."""


@pytest.fixture(autouse=True)
def _fresh_qpv_index():
    """The in-memory QPV index never keeps contours another test imported then rolled back."""
    from tisserand.referentials.geo import qpv_index

    qpv_index.invalidate()
    yield
    qpv_index.invalidate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached values never leak from one test to another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def structure():
    return StructureFactory()


@pytest.fixture
def other_structure():
    return StructureFactory(name="Autre structure")


@pytest.fixture
def referent(make_member, structure):
    """A référent of ``structure``."""
    return make_member(Role.REFERENT, structure)


@pytest.fixture
def unfollowed_person(structure):
    """Amina Benali, a person of ``structure`` whom nobody follows yet."""
    return PersonFactory(owner_structure=structure, first_name="Amina", last_name="Benali")


@pytest.fixture
def person(unfollowed_person, referent):
    """Amina Benali, followed by ``referent``."""
    follow(unfollowed_person, referent)
    return unfollowed_person


@pytest.fixture
def make_member():
    """make_member(role, structure=None) -> an active membership of a new user."""

    def make(role=Role.REFERENT, structure=None, **kwargs):
        if structure is not None:
            kwargs["structure"] = structure
        return MembershipFactory(role=role, **kwargs)

    return make


@pytest.fixture
def client_for(client):
    """client_for(membership) -> the test client logged in as that member, acting for it."""

    def login_as(membership):
        client.force_login(membership.user)
        session = client.session
        session["current_membership"] = str(membership.public_id)
        session.save()
        return client

    return login_as
