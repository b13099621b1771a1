from datetime import date

import pytest
from django.core.paginator import Paginator

from tests.referentials.trainings.conftest import CENTROIDS
from tisserand.referentials.trainings.services import (
    SearchError,
    bounding_box,
    haversine_km,
    search_trainings,
)

ROUBAIX = CENTROIDS["59512"][1:]
LILLE = CENTROIDS["59350"][1:]


def ids(search):
    return [match.training.lheo_id for match in search]


def session_ids(search):
    return {match.training.lheo_id: [s.lheo_id for s in match.sessions] for match in search}


def test_haversine_gives_known_distances():
    assert haversine_km(*ROUBAIX, *LILLE) == pytest.approx(11.4, abs=0.1)
    assert haversine_km(48.8566, 2.3522, 50.6292, 3.0573) == pytest.approx(204, abs=2)
    assert haversine_km(*ROUBAIX, *ROUBAIX) == 0


def test_the_bounding_box_holds_the_circle():
    box = bounding_box(*ROUBAIX, 10)
    for bearing_lat, bearing_lon in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
        lat = ROUBAIX[0] + bearing_lat * (box.max_lat - ROUBAIX[0]) * 0.999
        lon = ROUBAIX[1] + bearing_lon * (box.max_lon - ROUBAIX[1]) * 0.999
        assert box.min_lat <= lat <= box.max_lat and box.min_lon <= lon <= box.max_lon
        assert haversine_km(*ROUBAIX, lat, lon) == pytest.approx(10, abs=0.05)


def test_without_criteria_every_training_by_title(demo_catalogue):
    search = search_trainings()
    assert len(search) == 8
    titles = [match.training.title for match in search]
    assert titles == sorted(titles)
    assert all(match.sessions for match in search)


def test_by_rome_code(demo_catalogue):
    assert ids(search_trainings(rome_codes=["M1805"])) == ["DEMO-F-003"]
    assert sorted(ids(search_trainings(rome_codes=["k1303"]))) == ["DEMO-F-002", "DEMO-F-008"]
    assert ids(search_trainings(rome_codes=["A1101"])) == []


def test_certifying_or_not(demo_catalogue):
    assert len(search_trainings(certifying=True)) == 6
    assert sorted(ids(search_trainings(certifying=False))) == ["DEMO-F-004", "DEMO-F-007"]


def test_by_commune_lists_the_sessions_held_there(demo_catalogue):
    found = session_ids(search_trainings(commune_insee="59367"))
    assert found == {
        "DEMO-F-001": ["DEMO-S-003"],
        "DEMO-F-002": ["DEMO-S-004", "DEMO-S-005"],
        "DEMO-F-008": ["DEMO-S-015"],
    }


def test_by_start_dates(demo_catalogue):
    after = search_trainings(starts_after=date(2027, 9, 1))
    assert sorted(ids(after)) == [
        "DEMO-F-001",
        "DEMO-F-002",
        "DEMO-F-003",
        "DEMO-F-005",
        "DEMO-F-008",
    ]
    assert session_ids(after)["DEMO-F-001"] == ["DEMO-S-002"]
    before = search_trainings(starts_before=date(2027, 1, 31))
    assert sorted(ids(before)) == [
        "DEMO-F-001",
        "DEMO-F-003",
        "DEMO-F-004",
        "DEMO-F-007",
        "DEMO-F-008",
    ]
    between = search_trainings(starts_after=date(2027, 1, 11), starts_before=date(2027, 1, 11))
    assert session_ids(between) == {"DEMO-F-001": ["DEMO-S-001"], "DEMO-F-008": ["DEMO-S-016"]}


def test_by_distance_around_a_commune(demo_catalogue, communes):
    near = search_trainings(commune_insee="59512", radius_km=5)
    assert "DEMO-F-003" not in ids(near)  # only in Lille, 11 km away
    assert "DEMO-F-006" not in ids(near)
    assert len(near) == 6
    distances = [match.distance_km for match in near]
    assert distances == sorted(distances)
    assert all(d <= 5 for d in distances)
    assert len(search_trainings(commune_insee="59512", radius_km=15)) == 8


def test_sessions_without_a_point_are_located_by_their_commune(demo_catalogue, communes):
    lys = CENTROIDS["59367"][1:]
    found = search_trainings(point=lys, radius_km=1)
    assert session_ids(found) == {
        "DEMO-F-001": ["DEMO-S-003"],
        "DEMO-F-002": ["DEMO-S-004", "DEMO-S-005"],
        "DEMO-F-008": ["DEMO-S-015"],
    }
    assert {match.distance_km for match in found} == {0}


def test_without_communes_a_point_still_finds_located_sessions(demo_catalogue):
    found = search_trainings(point=LILLE, radius_km=3)
    assert sorted(ids(found)) == ["DEMO-F-003", "DEMO-F-006"]
    assert search_trainings(point=CENTROIDS["59367"][1:], radius_km=1).count() == 0
    with pytest.raises(SearchError, match="n'a pas de position connue"):
        search_trainings(commune_insee="59512", radius_km=10)


def test_criteria_combine(demo_catalogue, communes):
    found = search_trainings(
        rome_codes=["K1303"],
        commune_insee="59512",
        radius_km=5,
        starts_after=date(2027, 6, 1),
        certifying=True,
    )
    assert session_ids(found) == {"DEMO-F-002": ["DEMO-S-005"], "DEMO-F-008": ["DEMO-S-015"]}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"radius_km": 10}, "Indiquez une commune"),
        ({"commune_insee": "59512", "radius_km": 500}, "entre 1 et 200 km"),
        ({"commune_insee": "59512", "radius_km": 0}, "entre 1 et 200 km"),
    ],
)
def test_impossible_searches_say_why(kwargs, message, communes):
    with pytest.raises(SearchError, match=message):
        search_trainings(**kwargs)


def test_a_page_loads_in_a_constant_number_of_queries(
    demo_catalogue, communes, django_assert_max_num_queries
):
    search = search_trainings(commune_insee="59512", radius_km=15)
    with django_assert_max_num_queries(4):  # trainings, codes, sessions, ROME labels
        page = Paginator(search, 5).get_page(2)
        matches = list(page)
        assert [len(m.sessions) > 0 for m in matches] == [True, True, True]
        assert all(m.training.body.name for m in matches)
        assert all(list(m.training.codes.all()) for m in matches)


def test_each_session_is_measured_to_its_own_place_nearest_first(demo_catalogue, communes):
    # DEMO-F-008: a session in Lys-lez-Lannoy (where its body is) and an earlier one in
    # Tourcoing. Around Lys, the training is at 0 km; its Tourcoing session is not.
    found = {m.training.lheo_id: m for m in search_trainings(commune_insee="59367", radius_km=15)}
    match = found["DEMO-F-008"]
    assert [s.lheo_id for s in match.sessions] == ["DEMO-S-015", "DEMO-S-016"]
    lys, tourcoing = match.sessions
    assert lys.distance_km == match.distance_km == 0
    assert tourcoing.city == "Tourcoing"
    expected = haversine_km(*CENTROIDS["59367"][1:], tourcoing.latitude, tourcoing.longitude)
    assert tourcoing.distance_km == pytest.approx(expected) and tourcoing.distance_km > 5
