"""A company's address is geocoded as a person's: the national address API (faked here with
respx) gives the point; a QPV is named only from an address-level point."""

import httpx
import pytest
import respx

from tests.companies.records_helpers import creation_data, siret_of
from tests.referentials.geo.factories import ALMA, write_geojson
from tisserand.companies import services
from tisserand.referentials.geo.geocoding import BAN_URL
from tisserand.referentials.geo.qpv_import import import_qpv_file


def ban_answer(kind, score=0.93, lon=3.175, lat=50.685):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"label": "12 Rue de l'Alma 59100 Roubaix", "score": score, "type": kind,
                       "citycode": "59512", "postcode": "59100", "city": "Roubaix"},
    }  # fmt: skip
    return httpx.Response(200, json={"type": "FeatureCollection", "features": [feature]})


@pytest.fixture
def ban(area, tmp_path, settings):
    import_qpv_file(write_geojson(tmp_path, [ALMA]))
    settings.TISSERAND_GEOCODER = "ban"
    with respx.mock(assert_all_called=False) as mock:
        yield mock.get(BAN_URL)


def test_an_address_in_a_qpv_names_it(ban, naf, actor, area):
    ban.mock(return_value=ban_answer("housenumber"))
    company = services.create_establishment(
        data=creation_data(area, naf, address_line="12 rue de l'Alma"), actor=actor
    )
    assert (company.qpv_code, company.qpv_name) == ("QN05912M", "Alma")
    assert company.geocoding_precision == "address"
    assert (company.latitude, company.longitude) == (50.685, 3.175)


def test_a_street_level_point_names_no_qpv(ban, naf, actor, area):
    ban.mock(return_value=ban_answer("street"))
    company = services.create_establishment(data=creation_data(area, naf), actor=actor)
    assert company.qpv_code == "" and company.geocoding_precision == "street"


def test_a_move_is_geocoded_again_and_recorded(ban, naf, actor, area):
    ban.mock(return_value=ban_answer("street"))
    company = services.create_establishment(data=creation_data(area, naf), actor=actor)
    ban.mock(return_value=ban_answer("housenumber"))
    data = creation_data(area, naf, address_line="12 rue de l'Alma")
    data.pop("siret")
    services.update_establishment(company, data=data, actor=actor)
    company.refresh_from_db()
    assert company.qpv_code == "QN05912M"
    assert siret_of(42_000_001) == company.siret
