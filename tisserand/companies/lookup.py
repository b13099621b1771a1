"""What is known of an establishment from its SIRET, outside the base: a pluggable lookup,
like the geocoder.

``TISSERAND_COMPANY_LOOKUP`` = ``"offline"`` (default: never leaves the machine, knows nothing)
or ``"api"``: the State's public company-search API (« recherche d'entreprises »,
``https://recherche-entreprises.api.gouv.fr/search?q=<siret>``, no key), read from its JSON
(``results[].siren, nom_complet, nom_raison_sociale, siege, matching_etablissements[]`` with
``siret, adresse, numero_voie, type_voie, libelle_voie, code_postal, commune,
libelle_commune, activite_principale, tranche_effectif_salarie, etat_administratif,
est_siege, liste_enseignes, date_creation`` and ``complements.est_entrepreneur_individuel``,
``est_ess``, ``est_siae``). An unreachable or unexpected answer gives nothing, never an error:
the officer then types what they know.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

API_URL = "https://recherche-entreprises.api.gouv.fr/search"
DEFAULT_TIMEOUT = 3.0
# The API writes the type of way in full or abbreviated; SIRENE abbreviates it.
WAY_TYPES = {
    "AV": "avenue",
    "BD": "boulevard",
    "CHE": "chemin",
    "IMP": "impasse",
    "PL": "place",
    "QUAI": "quai",
    "RTE": "route",
    "RUE": "rue",
    "ALL": "allée",
    "SQ": "square",
    "CRS": "cours",
    "PAS": "passage",
    "ZA": "ZA",
    "ZI": "ZI",
}


@dataclass(frozen=True)
class KnownCompany:
    """What a lookup knows of one SIRET (empty strings when it does not know)."""

    siret: str
    legal_name: str = ""
    name: str = ""
    naf_code: str = ""  # without the dot: 6201Z
    headcount_band: str = ""
    address_line: str = ""
    postal_code: str = ""
    commune_insee: str = ""
    is_head_office: bool | None = None
    is_individual: bool | None = None
    is_social_economy: bool | None = None
    is_closed: bool | None = None
    created_on: date | None = None
    source: str = ""
    notes: tuple = field(default=())

    def initial(self):
        """The creation form's initial values it gives (only those it knows)."""
        values = {
            "legal_name": self.legal_name,
            "name": self.name,
            "naf": self.naf_code,
            "headcount_band": self.headcount_band,
            "address_line": self.address_line,
            "postal_code": self.postal_code,
            "commune": self.commune_insee,
        }
        initial = {key: value for key, value in values.items() if value}
        for key in ("is_head_office", "is_individual", "is_social_economy"):
            if getattr(self, key) is not None:
                initial[key] = getattr(self, key)
        if self.created_on:
            initial["created_on"] = self.created_on
        return initial


def _mode():
    mode = getattr(settings, "TISSERAND_COMPANY_LOOKUP", "offline")
    return mode if mode in {"offline", "api"} else "offline"


def lookup(siret):
    """What the configured lookup knows of ``siret`` (a valid SIRET), or None."""
    if _mode() != "api":
        return None
    return ask_api(siret)


def ask_api(siret):
    try:
        response = httpx.get(
            getattr(settings, "TISSERAND_COMPANY_LOOKUP_URL", API_URL),
            params={"q": siret, "per_page": 1},
            timeout=getattr(settings, "TISSERAND_COMPANY_LOOKUP_TIMEOUT", DEFAULT_TIMEOUT),
        )
        response.raise_for_status()
        payload = response.json()
    except (httpx.HTTPError, ValueError) as error:
        logger.warning("Recherche d'entreprises injoignable ou illisible (%s).", error)
        return None
    try:
        return parse_search(payload, siret)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        logger.warning("Réponse inattendue de la recherche d'entreprises (%s).", error)
        return None


def parse_search(payload, siret):
    """The ``KnownCompany`` of ``siret`` in an answer of the search API, or None."""
    for unit in payload.get("results") or []:
        if unit.get("siren") != siret[:9]:
            continue
        establishments = [unit.get("siege") or {}, *(unit.get("matching_etablissements") or [])]
        establishment = next((e for e in establishments if e.get("siret") == siret), None)
        if establishment is None:
            continue
        return _known(unit, establishment, siret)
    return None


def _known(unit, establishment, siret):
    complements = unit.get("complements") or {}
    signs = [sign for sign in (establishment.get("liste_enseignes") or []) if sign]
    legal_name = unit.get("nom_raison_sociale") or unit.get("nom_complet") or ""
    return KnownCompany(
        siret=siret,
        legal_name=_title(legal_name),
        name=_title(signs[0]) if signs else "",
        naf_code=(establishment.get("activite_principale") or "").replace(".", ""),
        headcount_band=establishment.get("tranche_effectif_salarie") or "",
        address_line=_street(establishment),
        postal_code=establishment.get("code_postal") or "",
        commune_insee=establishment.get("commune") or "",
        is_head_office=establishment.get("est_siege"),
        is_individual=complements.get("est_entrepreneur_individuel"),
        is_social_economy=complements.get("est_ess"),
        is_closed=(establishment.get("etat_administratif") or "A") == "F",
        created_on=_date(establishment.get("date_creation")),
        source="api",
    )


def _street(establishment):
    way_type = establishment.get("type_voie") or ""
    parts = [
        establishment.get("numero_voie") or "",
        WAY_TYPES.get(way_type.upper(), way_type.lower()),
        _title(establishment.get("libelle_voie") or "", first=False),
    ]
    return " ".join(part for part in parts if part)


def _title(text, first=True):
    """« LES ATELIERS DU NORD » → « Les Ateliers du Nord »: SIRENE writes in capitals."""
    small = {"de", "du", "des", "la", "le", "les", "et", "en", "d", "l", "aux", "au", "sur"}
    words = (text or "").strip().lower().split()
    return " ".join(
        word if (index or not first) and word in small else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
