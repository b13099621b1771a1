"""Where an establishment is: postal code and commune checked, address geocoded, QPV named.

The approach of ``people/location.py`` (a peer: not imported): the QPV is named only from an
address-level point; a position at the street or the commune names none.
"""

from dataclasses import dataclass

from tisserand.core.errors import DomainError
from tisserand.referentials.geo import services as geo

LOCATION_FIELDS = (
    "commune",
    "latitude",
    "longitude",
    "geocoding_precision",
    "qpv_code",
    "qpv_name",
)
ADDRESS_FIELDS = ("address_line", "postal_code", "commune")


class AddressError(DomainError):
    """A French message about one field of the address (``field``)."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Location:
    commune: object
    latitude: float | None
    longitude: float | None
    precision: str
    qpv_code: str = ""
    qpv_name: str = ""

    def values(self):
        return {
            "commune": self.commune,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geocoding_precision": self.precision,
            "qpv_code": self.qpv_code,
            "qpv_name": self.qpv_name,
        }


NOWHERE = Location(None, None, None, "")


def check_commune(postal_code, commune):
    """The commune of the address: the one chosen, or the only one of the postal code."""
    if not postal_code:
        return commune
    communes = geo.commune_for_postal_code(postal_code)
    if not communes:
        raise AddressError("postal_code", f"Code postal inconnu : « {postal_code} ».")
    if commune is None:
        if len(communes) > 1:
            raise AddressError(
                "commune", "Plusieurs communes ont ce code postal : choisissez la commune."
            )
        return communes[0]
    if commune.pk not in {c.pk for c in communes}:
        raise AddressError(
            "commune", f"La commune {commune.name} n'a pas le code postal {postal_code}."
        )
    return commune


def locate(address_line, postal_code, commune):
    """The ``Location`` of an address (postal code and commune already checked)."""
    if commune is None:
        return NOWHERE
    centroid = Location(commune, commune.latitude, commune.longitude, "commune")
    if commune.latitude is None:
        centroid = Location(commune, None, None, "")
    try:
        result = geo.geocode(address_line, postal_code, commune.name)
    except geo.GeocodingError:
        return centroid
    if result.commune_insee and result.commune_insee != commune.insee_code:
        return centroid
    if result.lat is None or result.lon is None:
        return centroid
    qpv = geo.qpv_at(result.lat, result.lon) if result.is_address_level else None
    return Location(
        commune,
        result.lat,
        result.lon,
        result.precision,
        qpv.code if qpv else "",
        qpv.name if qpv else "",
    )
