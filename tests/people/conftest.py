import pytest

from tests.people.factories import PersonFactory, follow
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.referentials.geo import qpv_index
from tisserand.structures.roles import Role


@pytest.fixture(autouse=True)
def _offline_geocoding(settings):
    """Never call the real BAN; each test sees the QPV of its own database."""
    settings.TISSERAND_GEOCODER = "offline"
    qpv_index.invalidate()
    yield
    qpv_index.invalidate()


@pytest.fixture
def area():
    return make_roubaix_area()


@pytest.fixture
def referent(make_member, structure):
    return make_member(Role.REFERENT, structure)


@pytest.fixture
def person(structure, referent):
    person = PersonFactory(owner_structure=structure, first_name="Amina", last_name="Benali")
    follow(person, referent)
    return person
