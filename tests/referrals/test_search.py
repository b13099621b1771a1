"""The search of services: thematic (a family covers its thematics), the person's commune
(eligibility zone covering it, nearest first), public, reception mode, free text; its query
count does not grow with the number of services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.referrals.factories import CHILDCARE, MEL, make_service
from tisserand.referrals import selectors
from tisserand.referrals import thematics as thematic_data
from tisserand.referrals.models import ZoneKind
from tisserand.structures.roles import Role


def _names(filters):
    return [s.name for s in selectors.search_services(filters)]


def test_the_eligibility_zone_must_cover_the_commune_nearest_first(area):
    lille, roubaix, lys = area["lille"], area["roubaix"], area["lys"]
    make_service(name="À Lille", commune=lille)
    make_service(name="À Roubaix", commune=roubaix)
    make_service(name="Lys seulement", commune=lys, zone=(ZoneKind.COMMUNE, "59367"))
    make_service(name="Lille seulement", commune=lille, zone=(ZoneKind.COMMUNE, "59350"))
    make_service(name="Dans le Nord", commune=None, zone=(ZoneKind.DEPARTEMENT, "59"))
    make_service(name="Partout", commune=None, zone=(ZoneKind.FRANCE, "france"))
    found = _names(selectors.Filters(commune=lys))
    assert found[:3] == ["Lys seulement", "À Roubaix", "À Lille"]
    assert set(found[3:]) == {"Dans le Nord", "Partout"}  # no place: last
    assert "Lille seulement" not in found


def test_a_family_covers_its_thematics(area):
    make_service(name="Crèche", thematic=CHILDCARE)
    make_service(name="Parentalité", thematic="famille--soutien-a-la-parentalite")
    make_service(name="Permis", thematic="mobilite--louer-un-vehicule")
    assert _names(selectors.Filters(thematics=["famille"])) == ["Crèche", "Parentalité"]
    assert _names(selectors.Filters(thematics=[CHILDCARE])) == ["Crèche"]


def test_public_mode_and_text(area):
    make_service(name="Pour les jeunes", publics=["jeunes"])
    make_service(name="Tous publics")
    make_service(name="Distance", remote=True, on_site=False, description="Écoute téléphonique")
    assert _names(selectors.Filters(public="jeunes")) == [
        "Distance",
        "Pour les jeunes",
        "Tous publics",
    ]
    assert _names(selectors.Filters(public="femmes")) == ["Distance", "Tous publics"]
    assert _names(selectors.Filters(remote=True)) == ["Distance"]
    assert _names(selectors.Filters(on_site=True, remote=True)) == []
    assert _names(selectors.Filters(text="ecoute TELEPHONIQUE")) == ["Distance"]


def test_barriers_propose_their_thematics():
    assert thematic_data.suggested_for([("family", 3)])[0] == CHILDCARE
    assert thematic_data.suggested_for([("family", 1)]) == []  # a light barrier proposes nothing
    assert thematic_data.suggested_for([("mobility", 2), ("family", 3)])[:2] == [
        CHILDCARE,
        "famille",
    ]
    # Every barrier theme of the vocabulary has thematics, and every one exists.
    assert set(thematic_data.BARRIER_THEMATICS) == {
        "housing", "employment", "training", "administrative", "financial", "mobility",
        "health", "family", "french_language", "digital",
    }  # fmt: skip
    codes = {row[0] for row in thematic_data.read_file()}
    assert {c for cs in thematic_data.BARRIER_THEMATICS.values() for c in cs} <= codes


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query", ["", "?thematique=famille&commune=59367&public=familles&q=enfants"]
)
def test_the_search_page_query_count_does_not_grow_with_services(
    client_for, make_member, area, query
):
    client = client_for(make_member(Role.REFERENT))
    url = reverse("referrals:search") + query
    make_service(name="Premier", commune=area["roubaix"], publics=["familles"])
    small = _page_queries(client, url)
    for n in range(30):
        make_service(
            name=f"Service {n}",
            commune=area["lys"],
            publics=["familles"],
            zone=(ZoneKind.EPCI, MEL),
        )
    assert _page_queries(client, url) == small
