"""The France Travail API client against recorded responses (respx), never the network:
OAuth2 client credentials, ranges of 150, the 3,150-result window split by creation date."""

from datetime import datetime

import httpx
import pytest
import respx

from tests.opportunities.factories import ft_offer
from tisserand.opportunities.importing import api, francetravail


def answer(start, count, total):
    offers = [ft_offer(f"O{start + i}") for i in range(count)]
    return httpx.Response(
        206 if count < total else 200,
        json={"resultats": offers},
        headers={"Content-Range": f"offres {start}-{start + count - 1}/{total}"},
    )


@respx.mock
def test_pages_by_150_and_authenticates_once():
    token = respx.post(api.TOKEN_URL).mock(
        return_value=httpx.Response(200, json={"access_token": "jeton", "expires_in": 1499})
    )

    def search(request):
        assert request.headers["Authorization"] == "Bearer jeton"
        first, last = map(int, request.url.params["range"].split("-"))
        assert last - first == 149
        return answer(first, min(150, 320 - first), 320)

    route = respx.get(api.SEARCH_URL).mock(side_effect=search)
    client = api.Client("id", "secret", http=httpx.Client())
    offers = client.offers({"departement": "59"}, now=datetime(2026, 12, 1))
    assert len(offers) == 320
    assert route.call_count == 3 and token.call_count == 1
    assert len(francetravail.parse(offers)) == 320


@respx.mock
def test_a_window_over_3150_results_is_split_by_date():
    respx.post(api.TOKEN_URL).mock(return_value=httpx.Response(200, json={"access_token": "t"}))
    windows = []

    def search(request):
        params = request.url.params
        key = (params["minCreationDate"], params["maxCreationDate"])
        if key not in windows:
            windows.append(key)
        first = int(params["range"].split("-")[0])
        # The whole month holds 4,000 offers; each half 2,000.
        whole = params["minCreationDate"].startswith("2026-11-01") and params[
            "maxCreationDate"
        ].startswith("2026-12-01")
        total = 4000 if whole else 200
        offset = len(windows) * 10000
        return answer(offset + first, min(150, total - first), total)

    respx.get(api.SEARCH_URL).mock(side_effect=search)
    client = api.Client("id", "secret", http=httpx.Client())
    offers = client.offers({}, days=30, now=datetime(2026, 12, 1))
    assert len(windows) == 3  # the month, then its two halves
    assert len(offers) == 400


@respx.mock
def test_a_refused_authentication_says_so_in_french():
    respx.post(api.TOKEN_URL).mock(return_value=httpx.Response(401))
    client = api.Client("id", "mauvais", http=httpx.Client())
    with pytest.raises(api.ApiUnavailable, match="Authentification refusée"):
        client.offers({}, now=datetime(2026, 12, 1))


@respx.mock
def test_no_content_means_no_offer():
    respx.post(api.TOKEN_URL).mock(return_value=httpx.Response(200, json={"access_token": "t"}))
    respx.get(api.SEARCH_URL).mock(return_value=httpx.Response(204))
    assert api.Client("id", "s", http=httpx.Client()).offers({}, now=datetime(2026, 12, 1)) == []


def test_credentials_only_when_configured(settings):
    assert api.credentials() is None
    settings.TISSERAND_FRANCE_TRAVAIL_CLIENT_ID = "id"
    settings.TISSERAND_FRANCE_TRAVAIL_CLIENT_SECRET = "secret"
    assert api.credentials() == ("id", "secret")
