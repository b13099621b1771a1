from pathlib import Path

import pytest
from django.conf import settings

from tisserand.referentials.geo import qpv_index

SHARED_GEO = Path(settings.BASE_DIR).parent / "shared" / "data" / "geo"


@pytest.fixture(autouse=True)
def _fresh_qpv_index(settings):
    """Each test sees the QPV of its own database state, and never calls the real BAN."""
    settings.TISSERAND_GEOCODER = "offline"
    qpv_index.invalidate()
    yield
    qpv_index.invalidate()


@pytest.fixture
def shared_geo():
    return SHARED_GEO
