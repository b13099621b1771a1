import pytest

from tests.accompaniment.conftest import ensure_initial_data


@pytest.fixture(autouse=True)
def _initial_data():
    ensure_initial_data()
