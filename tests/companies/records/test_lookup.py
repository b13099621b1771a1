"""The pluggable company lookup: offline by default; the State's company-search API tested
against a recorded answer (respx), never the real service."""

import json
from pathlib import Path

import httpx
import pytest
import respx

from tisserand.companies import lookup

RECORDED = json.loads(
    (Path(__file__).parent / "recorded" / "recherche_entreprises_siret.json").read_text()
)
HEAD_OFFICE, DEPOT = "83512345600013", "83512345600286"


@pytest.fixture
def api(settings):
    settings.TISSERAND_COMPANY_LOOKUP = "api"


def test_offline_by_default_knows_nothing_and_calls_nobody(settings):
    if hasattr(settings, "TISSERAND_COMPANY_LOOKUP"):
        del settings.TISSERAND_COMPANY_LOOKUP
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(lookup.API_URL)
        assert lookup.lookup(HEAD_OFFICE) is None
        assert not route.called


@respx.mock
def test_the_api_backend_reads_a_matching_establishment(api):
    route = respx.get(lookup.API_URL).mock(return_value=httpx.Response(200, json=RECORDED))
    known = lookup.lookup(DEPOT)
    assert route.calls.last.request.url.params["q"] == DEPOT
    assert known.legal_name == "Les Ateliers du Trichon"
    assert known.name == "Trichon Logistique"
    assert known.naf_code == "5229A"
    assert known.headcount_band == "03"
    assert known.address_line == "4 avenue des Nations Unies"
    assert (known.postal_code, known.commune_insee) == ("59100", "59512")
    assert known.is_head_office is False and known.is_social_economy is True
    assert known.is_individual is False and known.is_closed is False
    assert known.created_on.isoformat() == "2021-09-15"
    assert known.initial()["naf"] == "5229A"


@respx.mock
def test_the_api_backend_reads_the_head_office(api):
    respx.get(lookup.API_URL).mock(return_value=httpx.Response(200, json=RECORDED))
    known = lookup.lookup(HEAD_OFFICE)
    assert known.name == "" and known.is_head_office is True
    assert known.address_line == "12 rue du Trichon"
    assert known.naf_code == "1310Z" and known.headcount_band == "12"


@respx.mock
@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, json={"results": [], "total_results": 0}),
        httpx.Response(
            200, json={**RECORDED, "results": [{**RECORDED["results"][0], "siren": "111111111"}]}
        ),
        httpx.Response(429, json={"erreur": "Trop de requêtes"}),
        httpx.Response(500, text="erreur"),
        httpx.Response(200, text="<html>pas du JSON</html>"),
        httpx.Response(200, json={"results": "inattendu"}),
    ],
)
def test_no_answer_gives_nothing_never_an_error(api, response):
    respx.get(lookup.API_URL).mock(return_value=response)
    assert lookup.lookup(DEPOT) is None


@respx.mock
def test_an_unreachable_api_gives_nothing(api):
    respx.get(lookup.API_URL).mock(side_effect=httpx.ConnectTimeout("délai dépassé"))
    assert lookup.lookup(DEPOT) is None
