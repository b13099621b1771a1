import pytest
import respx

from tests.referentials.geo.factories import ALMA, make_roubaix_area, write_geojson
from tisserand.referentials.geo import qpv_index
from tisserand.referentials.geo.geocoding import BAN_URL
from tisserand.referentials.geo.qpv_import import import_qpv_file
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
def partner_structure(other_structure, make_member):
    """Another structure whose partner may read what a consent shares with it."""
    make_member(Role.PARTNER, other_structure)
    return other_structure


@pytest.fixture
def web(client_for, referent, area):
    return client_for(referent)


@pytest.fixture
def with_qpv(area, tmp_path):
    import_qpv_file(write_geojson(tmp_path, [ALMA]))
    return area


@pytest.fixture
def ban(settings):
    """The BAN geocoder, answered by a mock (``ban.mock(return_value=…)``)."""
    settings.TISSERAND_GEOCODER = "ban"
    with respx.mock(assert_all_called=False) as mock:
        yield mock.get(BAN_URL)
