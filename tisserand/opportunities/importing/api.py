"""France Travail's « Offres d'emploi v2 » API, used only when credentials are configured
(``TISSERAND_FRANCE_TRAVAIL_CLIENT_ID`` / ``_CLIENT_SECRET``). OAuth2 client credentials; the
search pages by ranges of 150 and answers at most 3,150 results for one query, so a window
holding more is split in two by creation date until each part fits."""

import re
from datetime import datetime, timedelta

import httpx
from django.conf import settings

from tisserand.core.errors import DomainError

TOKEN_URL = "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"
SEARCH_URL = "https://api.francetravail.io/partenaire/offresdemploi/v2/offres/search"
SCOPE = "api_offresdemploiv2 o2dsoffre"
PAGE = 150
WINDOW = 3150
CONTENT_RANGE = re.compile(r"(\d+)-(\d+)/(\d+)")
MIN_SPLIT = timedelta(hours=1)


class ApiUnavailable(DomainError):
    pass


def credentials():
    client_id = getattr(settings, "TISSERAND_FRANCE_TRAVAIL_CLIENT_ID", "")
    secret = getattr(settings, "TISSERAND_FRANCE_TRAVAIL_CLIENT_SECRET", "")
    return (client_id, secret) if client_id and secret else None


class Client:
    def __init__(self, client_id, client_secret, *, http=None, timeout=20.0):
        self.client_id, self.client_secret = client_id, client_secret
        self.http = http or httpx.Client(timeout=timeout)
        self.token = None
        self.requests = 0

    def _token(self):
        if self.token is None:
            response = self.http.post(
                TOKEN_URL,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "scope": SCOPE,
                },
            )
            if response.status_code != 200:
                raise ApiUnavailable(
                    f"Authentification refusée par France Travail (HTTP {response.status_code})."
                )
            self.token = response.json()["access_token"]
        return self.token

    def _page(self, params, start):
        self.requests += 1
        response = self.http.get(
            SEARCH_URL,
            params={**params, "range": f"{start}-{start + PAGE - 1}"},
            headers={"Authorization": f"Bearer {self._token()}"},
        )
        if response.status_code == 204:
            return [], 0
        if response.status_code not in (200, 206):
            raise ApiUnavailable(
                f"L'API des offres de France Travail a répondu HTTP {response.status_code}."
            )
        match = CONTENT_RANGE.search(response.headers.get("Content-Range", ""))
        total = int(match.group(3)) if match else 0
        return response.json().get("resultats", []), total

    def window(self, params, start_at, end_at):
        """Every offer created between ``start_at`` and ``end_at`` matching ``params``."""
        dated = {
            **params,
            "minCreationDate": start_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "maxCreationDate": end_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        first, total = self._page(dated, 0)
        if total > WINDOW and end_at - start_at > MIN_SPLIT:
            middle = start_at + (end_at - start_at) / 2
            return self.window(params, start_at, middle) + self.window(params, middle, end_at)
        offers = list(first)
        start = PAGE
        while start < min(total, WINDOW):
            page, _ = self._page(dated, start)
            if not page:
                break
            offers.extend(page)
            start += PAGE
        return offers

    def offers(self, params, *, days=30, now=None):
        """The offers of the last ``days`` days; each offer once (windows share a bound)."""
        now = now or datetime.utcnow().replace(microsecond=0)
        seen, unique = set(), []
        for offer in self.window(params, now - timedelta(days=days), now):
            if offer.get("id") not in seen:
                seen.add(offer.get("id"))
                unique.append(offer)
        return unique
