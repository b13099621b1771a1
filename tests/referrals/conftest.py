import pytest

from tests.referentials.geo.factories import make_roubaix_area
from tisserand.referrals.thematics import load_thematics


@pytest.fixture(autouse=True)
def _thematics(db):
    load_thematics()


@pytest.fixture
def area():
    """Roubaix, Lys-lez-Lannoy and Lille (the MEL), with their centroids."""
    return make_roubaix_area()


@pytest.fixture
def person(person, area):
    """The followed person, living in Lys-lez-Lannoy, with an e-mail address."""
    person.commune = area["lys"]
    person.email = "amina@exemple.test"
    person.save(update_fields=["commune", "email"])
    return person
