"""The agenda filtered by territory: a commune, an EPCI or a bassin d'emploi (the geo
referential's levels), with a query count that does not grow with the events."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.events.factories import EventFactory, SessionFactory, soon
from tests.referentials.geo.factories import make_commune, make_roubaix_area
from tisserand.referentials.geo.models import BassinEmploi, Epci


@pytest.fixture
def places(structure):
    """An event in Roubaix, one in Lille (same EPCI, another bassin), one in Dunkerque
    (another EPCI and bassin)."""
    area = make_roubaix_area()
    dunkerque = make_commune(
        "59183",
        "Dunkerque",
        ["59140"],
        BassinEmploi.objects.create(code="3206", name="Dunkerque"),
        Epci.objects.create(siren="245900428", name="CU de Dunkerque"),
    )
    titles = {}
    for key, commune in (("roubaix", area["roubaix"]), ("lille", area["lille"]), ("dk", dunkerque)):
        event = EventFactory(structure=structure, commune=commune, title=f"Atelier {key}")
        SessionFactory(event=event, starts_at=soon(days=3))
        titles[key] = event.title
    return {**area, "dunkerque": dunkerque, "titles": titles}


def _shown(client, **params):
    response = client.get(reverse("events:agenda"), params)
    assert response.status_code == 200
    return response.content.decode()


def _titles(page, places):
    return {key for key, title in places["titles"].items() if title in page}


def test_the_agenda_filters_by_epci(client_for, organiser, places):
    client = client_for(organiser)
    mel = places["roubaix"].epci
    assert _titles(_shown(client, epci=mel.pk), places) == {"roubaix", "lille"}
    other = places["dunkerque"].epci
    assert _titles(_shown(client, epci=other.pk), places) == {"dk"}


def test_the_agenda_filters_by_bassin(client_for, organiser, places):
    client = client_for(organiser)
    bassin = places["roubaix"].bassin
    assert _titles(_shown(client, bassin=bassin.pk), places) == {"roubaix"}
    both = _shown(client, bassin=bassin.pk, epci=places["dunkerque"].epci.pk)
    assert _titles(both, places) == set()
    assert _titles(_shown(client), places) == {"roubaix", "lille", "dk"}


def test_the_territories_offered_are_those_of_the_events(client_for, organiser, places):
    unused = Epci.objects.create(siren="200041960", name="CA du Douaisis")
    make_commune("59178", "Douai", ["59500"], None, unused)
    page = _shown(client_for(organiser))
    assert 'label for="id_epci">Intercommunalité (EPCI)' in page
    assert 'label for="id_bassin">Bassin d&#x27;emploi' in page
    assert "Métropole Européenne de Lille" in page and "CU de Dunkerque" in page
    assert "Roubaix-Tourcoing (3217)" in page
    assert "CA du Douaisis" not in page


def test_an_unknown_territory_is_refused_in_french(client_for, organiser, places):
    page = _shown(client_for(organiser), epci=999999)
    assert "Sélectionnez un choix valide" in page


def test_the_territory_filters_keep_the_query_count(client_for, organiser, structure, places):
    client = client_for(organiser)
    params = {"epci": places["roubaix"].epci.pk, "bassin": places["roubaix"].bassin.pk}

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("events:agenda"), params).status_code == 200
        return len(context.captured_queries)

    queries()
    few = queries()
    for n in range(12):
        event = EventFactory(structure=structure, commune=places["roubaix" if n % 2 else "lys"])
        SessionFactory(event=event, starts_at=soon(days=n + 1))
    assert queries() == few
