"""Geocoding: BAN faked at the HTTP layer (respx), fallback to the commune centroid, QPV status."""

from datetime import date

import httpx
import pytest
import respx
from django.utils import timezone

from tests.referentials.geo.factories import ALMA, make_roubaix_area, write_geojson
from tisserand.referentials.geo import services
from tisserand.referentials.geo.geocoding import BAN_URL
from tisserand.referentials.geo.qpv_import import import_qpv_file


@pytest.fixture
def area():
    return make_roubaix_area()


@pytest.fixture
def with_qpv(area, tmp_path):
    import_qpv_file(write_geojson(tmp_path, [ALMA]))
    return area


@pytest.fixture
def ban(settings):
    settings.TISSERAND_GEOCODER = "ban"
    with respx.mock(assert_all_called=False) as mock:
        yield mock.get(BAN_URL)


def ban_answer(kind, score, lon=3.175, lat=50.685, label="12 Rue de l'Alma 59100 Roubaix"):
    return httpx.Response(
        200,
        json={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "label": label,
                        "score": score,
                        "type": kind,
                        "citycode": "59512",
                        "postcode": "59100",
                        "city": "Roubaix",
                    },
                }
            ],
        },
    )


def test_address_match(with_qpv, ban):
    ban.mock(return_value=ban_answer("housenumber", 0.93))
    result = services.geocode("12 rue de l'Alma", "59100", "Roubaix")
    assert result == services.GeocodingResult(
        lat=50.685,
        lon=3.175,
        precision="address",
        commune_insee="59512",
        label="12 Rue de l'Alma 59100 Roubaix",
        source="ban",
        score=0.93,
    )
    request = ban.calls.last.request
    assert request.url.params["q"] == "12 rue de l'Alma 59100 Roubaix"
    assert request.url.params["postcode"] == "59100"
    assert request.url.params["limit"] == "1"
    status = services.qpv_status(result, on=date(2025, 3, 1))
    assert status.status == "in_qpv" and status.in_qpv is True
    assert (status.qpv_code, status.qpv_name) == ("QN05912M", "Alma")
    assert status.determined_on == date(2025, 3, 1)
    assert status.contours_imported_at is not None
    assert status.label == "Réside en QPV : Alma (QN05912M)"


def test_address_outside_any_qpv(with_qpv, ban):
    ban.mock(return_value=ban_answer("housenumber", 0.9, lon=3.16, lat=50.70))
    status = services.qpv_status(services.geocode("1 rue Pierre Motte", "59100"))
    assert status.status == "not_in_qpv" and status.in_qpv is False
    assert status.determined_on == timezone.localdate()


def test_street_match_gives_an_unknown_qpv_status(with_qpv, ban):
    ban.mock(return_value=ban_answer("street", 0.8, label="Rue de l'Alma 59100 Roubaix"))
    result = services.geocode("rue de l'Alma", "59100")
    assert (result.precision, result.source) == ("street", "ban")
    status = services.qpv_status(result)
    # The point is inside Alma, but a street is not an address: never asserted.
    assert status.status == "unknown" and status.in_qpv is None
    assert "à la rue seulement" in status.reason


def test_low_score_falls_back_to_the_commune_centroid(area, ban):
    ban.mock(return_value=ban_answer("housenumber", 0.31))
    result = services.geocode("3 impasse introuvable", "59100")
    assert (result.source, result.precision, result.commune_insee) == (
        "centroid",
        "commune",
        "59512",
    )
    assert (result.lat, result.lon) == (50.6879774811, 3.18258434623)
    assert result.label == "Roubaix (59100)"


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectTimeout("délai dépassé"),
        httpx.ConnectError("hors ligne"),
        httpx.Response(503),
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.Response(200, json={"features": [{"properties": {}}]}),
    ],
)
def test_ban_unreachable_or_odd_falls_back(area, ban, failure):
    if isinstance(failure, Exception):
        ban.mock(side_effect=failure)
    else:
        ban.mock(return_value=failure)
    result = services.geocode("12 rue de l'Alma", "59100")
    assert (result.source, result.commune_insee) == ("centroid", "59512")
    assert ban.called


def test_unknown_postal_code(area, ban):
    ban.mock(return_value=httpx.Response(200, json={"type": "FeatureCollection", "features": []}))
    with pytest.raises(services.GeocodingError, match="Code postal inconnu : « 99999 »"):
        services.geocode("1 rue de nulle part", "99999")


def test_a_postal_code_of_several_communes_uses_the_commune_name(area):
    from tests.referentials.geo.factories import make_commune

    make_commune("59598", "Toufflers", ["59390"], lat=50.66, lon=3.23)
    assert services.geocode("", "59390", "Toufflers").commune_insee == "59598"
    assert services.geocode("", "59390", "lys lez lannoy").commune_insee == "59367"


def test_offline_mode_never_calls_the_ban(area, settings):
    settings.TISSERAND_GEOCODER = "offline"
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(BAN_URL)
        result = services.geocode("12 rue de l'Alma", "59100")
    assert not route.called
    assert result.source == "centroid"
    assert services.qpv_status(result).status == "unknown"


def test_status_is_unknown_without_qpv_contours(area, ban):
    ban.mock(return_value=ban_answer("housenumber", 0.95))
    status = services.qpv_status(services.geocode("12 rue de l'Alma", "59100"))
    assert status.status == "unknown"
    assert status.reason == "Les contours des QPV ne sont pas importés."


def test_without_postal_code_a_unique_commune_name_is_enough(area):
    result = services.geocode("", "", "Lys-lez-Lannoy")
    assert (result.commune_insee, result.label) == ("59367", "Lys-lez-Lannoy")
    with pytest.raises(services.GeocodingError, match="Code postal manquant"):
        services.geocode("1 rue de la Gare", "", "")
