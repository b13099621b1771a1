"""Geocoding behind one interface: the national address API (BAN) when it answers well, the
centroid of the commune of the postal code otherwise.

``TISSERAND_GEOCODER`` = ``"ban"`` (default) or ``"offline"`` (never leaves the machine).
Every result states its precision: ``address`` (house number), ``street`` or ``commune``.
"""

import logging
from dataclasses import dataclass

import httpx
from django.conf import settings

from tisserand.core.errors import DomainError
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.geo.text import search_key

logger = logging.getLogger(__name__)

BAN_URL = "https://api-adresse.data.gouv.fr/search/"
DEFAULT_TIMEOUT = 2.0
# Below this BAN score the answer is too doubtful to replace the commune centroid.
MIN_SCORE = 0.5
PRECISION_OF_BAN_TYPE = {
    "housenumber": "address",
    "street": "street",
    "locality": "street",
    "municipality": "commune",
}
PRECISION_LABELS = {
    "address": "à l'adresse",
    "street": "à la rue",
    "commune": "à la commune",
}


class GeocodingError(DomainError):
    """No position can be given for this address. The message is French."""


@dataclass(frozen=True)
class GeocodingResult:
    lat: float
    lon: float
    precision: str  # "address" | "street" | "commune"
    commune_insee: str | None
    label: str
    source: str  # "ban" | "centroid"
    score: float | None = None

    @property
    def is_address_level(self):
        return self.precision == "address"

    @property
    def precision_label(self):
        return PRECISION_LABELS[self.precision]


def geocode(address_line, postal_code, commune_name=""):
    """The position of an address, as precise as the sources allow."""
    address_line, postal_code = (address_line or "").strip(), (postal_code or "").strip()
    if _mode() == "ban" and address_line:
        result = _ask_ban(address_line, postal_code, commune_name)
        if result is not None:
            return result
    return commune_centroid(postal_code, commune_name)


def _mode():
    mode = getattr(settings, "TISSERAND_GEOCODER", "ban")
    return mode if mode in {"ban", "offline"} else "ban"


def _ask_ban(address_line, postal_code, commune_name):
    query = " ".join(part for part in (address_line, postal_code, commune_name) if part)
    params = {"q": query, "limit": 1}
    if postal_code:
        params["postcode"] = postal_code
    try:
        response = httpx.get(
            getattr(settings, "TISSERAND_BAN_URL", BAN_URL),
            params=params,
            timeout=getattr(settings, "TISSERAND_GEOCODER_TIMEOUT", DEFAULT_TIMEOUT),
        )
        response.raise_for_status()
        features = response.json().get("features") or []
    except (httpx.HTTPError, ValueError, AttributeError) as error:
        logger.warning("BAN injoignable ou réponse illisible (%s) : repli sur la commune.", error)
        return None
    return _from_ban_feature(features[0]) if features else None


def _from_ban_feature(feature):
    try:
        properties = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]
        score = float(properties.get("score", 0))
        precision = PRECISION_OF_BAN_TYPE.get(properties.get("type"))
    except (KeyError, TypeError, ValueError):
        logger.warning("Réponse de la BAN inattendue : repli sur la commune.")
        return None
    if precision is None or score < MIN_SCORE:
        return None
    return GeocodingResult(
        lat=float(lat),
        lon=float(lon),
        precision=precision,
        commune_insee=properties.get("citycode") or None,
        label=properties.get("label", ""),
        source="ban",
        score=score,
    )


def commune_centroid(postal_code, commune_name=""):
    """The centroid of the commune of ``postal_code`` (named ``commune_name`` when several),
    or of the only current commune named ``commune_name`` when the postal code is unknown."""
    communes = _located(Commune.objects.filter(postal_codes__code=postal_code).distinct())
    if not communes and search_key(commune_name):
        same_name = _located(
            Commune.objects.filter(search_name=search_key(commune_name), is_former=False)
        )
        communes = same_name if len(same_name) == 1 else []
    if not communes:
        raise GeocodingError(
            f"Code postal inconnu : « {postal_code} »."
            if postal_code
            else "Code postal manquant : la commune ne peut pas être localisée."
        )
    commune = _best_named(communes, commune_name)
    return GeocodingResult(
        lat=commune.latitude,
        lon=commune.longitude,
        precision="commune",
        commune_insee=commune.insee_code,
        label=f"{commune.name} ({postal_code})" if postal_code else commune.name,
        source="centroid",
    )


def _located(communes):
    return [commune for commune in communes if commune.has_centroid]


def _best_named(communes, commune_name):
    wanted = search_key(commune_name)
    if wanted:
        for commune in communes:
            if commune.search_name == wanted:
                return commune
        for commune in communes:
            if commune.search_name.startswith(wanted) or wanted.startswith(commune.search_name):
                return commune
    return communes[0]
