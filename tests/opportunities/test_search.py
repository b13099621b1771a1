"""The search: each criterion, closed and expired offers left out, the radius, and a query
count that does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.accompaniment.factories import appellation
from tests.opportunities.factories import ft_offer
from tests.opportunities.helpers import territory
from tisserand.opportunities import search
from tisserand.opportunities.importing import francetravail, sync
from tisserand.opportunities.models import JobOffer, OfferSource, OfferStatus
from tisserand.referentials.rome.models import Mobility
from tisserand.structures.roles import Role


@pytest.fixture
def area():
    return territory()


def load(offers):
    sync.sync(francetravail.parse(offers), source=OfferSource.FRANCE_TRAVAIL)


def ids(criteria):
    return sorted(search.search(criteria).values_list("external_id", flat=True))


def test_criteria(area):
    vendeur = appellation(
        code_ogr=12345, label="Vendeur / Vendeuse en boulangerie", rome_code="D1106"
    )
    Mobility.objects.create(source=area["boulanger"].fiche, target=vendeur.fiche, rank=1)
    load(
        [
            ft_offer("BOUL"),
            ft_offer(
                "VEND",
                appellationlibelle=vendeur.label,
                romeCode="D1106",
                typeContrat="CDD",
                experienceExige="E",
                alternance=True,
                accessibleTH=False,
                dureeTravailLibelleConverti="Temps partiel",
            ),
            ft_offer(
                "LILLE",
                lieuTravail={
                    "libelle": "Lille",
                    "latitude": 50.63,
                    "longitude": 3.05,
                    "commune": "59350",
                },
            ),
            ft_offer(
                "LOIN", lieuTravail={"libelle": "Dunkerque", "latitude": 51.03, "longitude": 2.37}
            ),
        ]
    )
    C = search.Criteria
    assert ids(C()) == ["BOUL", "LILLE", "LOIN", "VEND"]
    assert ids(C(appellation=area["boulanger"], fiche=area["boulanger"].fiche)) == [
        "BOUL",
        "LILLE",
        "LOIN",
    ]
    assert ids(C(appellation=area["boulanger"], with_neighbours=True)) == [
        "BOUL",
        "LILLE",
        "LOIN",
        "VEND",
    ]
    assert ids(C(commune=area["roubaix"], radius_km=5)) == ["BOUL", "VEND"]
    assert ids(C(commune=area["roubaix"], radius_km=20)) == ["BOUL", "LILLE", "VEND"]
    assert ids(C(contract_types=["CDD"])) == ["VEND"]
    assert ids(C(experience="E")) == ["VEND"]
    assert ids(C(experience="D")) == ["BOUL", "LILLE", "LOIN"]
    assert ids(C(alternance=True)) == ["VEND"]
    assert ids(C(accessible_th=True)) == ["BOUL", "LILLE", "LOIN"]
    assert ids(C(working_time="part_time")) == ["VEND"]
    assert ids(C(text="vendeuse")) == ["VEND"]
    assert ids(C(text="boulangerie nord")) == ["BOUL", "LILLE", "LOIN", "VEND"]


def test_published_since(area):
    load(
        [
            ft_offer("OLD", dateCreation="2020-01-01T00:00:00Z"),
            ft_offer("NEW", dateCreation=timezone.now().isoformat()),
        ]
    )
    assert ids(search.Criteria(since_days=7)) == ["NEW"]
    assert ids(search.Criteria()) == ["NEW", "OLD"]


def test_the_nearest_first_with_its_distance(area):
    load([ft_offer("LILLE", lieuTravail={"latitude": 50.63, "longitude": 3.05}), ft_offer("ICI")])
    offers = list(search.search(search.Criteria(commune=area["roubaix"], radius_km=20)))
    assert [o.external_id for o in offers] == ["ICI", "LILLE"]
    assert 9 < search.distance_km(offers[1]) < 12


def test_company_flags(area):
    area["bakery"].insertion_kind = "EI"
    area["bakery"].save()
    load(
        [
            ft_offer("SIAE", entreprise={"nom": "Boulangerie Lebrun"}),
            ft_offer("EA", entreprise={"nom": "X", "entrepriseAdaptee": True}),
        ]
    )
    assert ids(search.Criteria(siae=True)) == ["SIAE"]
    assert ids(search.Criteria(adapted=True)) == ["EA"]


def test_closed_and_expired_offers_leave_the_search(area):
    load([ft_offer("A"), ft_offer("B"), ft_offer("C")])
    JobOffer.objects.filter(external_id="B").update(
        status=OfferStatus.CLOSED, closed_at=timezone.now()
    )
    JobOffer.objects.filter(external_id="C").update(
        expires_on=timezone.localdate().replace(year=2020)
    )
    assert ids(search.Criteria()) == ["A"]


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_search_page_query_count_does_not_grow(area, client_for, make_member, structure):
    client = client_for(make_member(Role.PARTNER, structure))
    url = reverse("opportunities:search") + "?commune=59512&rayon=20"
    load([ft_offer(f"A{n}") for n in range(3)])
    few = _page_queries(client, url)
    load([ft_offer(f"A{n}") for n in range(3)] + [ft_offer(f"B{n}") for n in range(60)])
    many = _page_queries(client, url)
    assert many == few
    page = client.get(url)
    assert "63 offres" in page.content.decode()
