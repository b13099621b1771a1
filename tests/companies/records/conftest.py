"""Fixtures of the company-record tests: a few NAF codes, the Roubaix area, an officer."""

import pytest

from tests.companies.records_helpers import make_naf
from tests.referentials.geo.factories import make_roubaix_area
from tisserand.core.actor import Actor
from tisserand.structures.roles import Role


@pytest.fixture
def naf(db):
    return make_naf()


@pytest.fixture
def area(db, settings):
    settings.TISSERAND_GEOCODER = "offline"
    return make_roubaix_area()


@pytest.fixture
def officer(make_member, structure):
    """A member of the business relations team: sees and manages companies."""
    return make_member(Role.BUSINESS, structure)


@pytest.fixture
def actor(officer):
    return Actor.of(officer)
