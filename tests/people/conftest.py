import pytest

from tests.referentials.geo.factories import make_roubaix_area
from tisserand.referentials.geo import qpv_index


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
