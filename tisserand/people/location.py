"""Where a person lives: postal code and commune checked, address geocoded, QPV status dated.

The QPV status is asserted (in or not in a QPV) only from an address-level point; a position
at the street or the commune leaves it « indéterminé ».
"""

from dataclasses import dataclass

from django.utils import timezone

from tisserand.core.errors import DomainError
from tisserand.people.models import QpvResidence
from tisserand.referentials.geo import services as geo

LOCATION_FIELDS = (
    "commune",
    "latitude",
    "longitude",
    "geocoding_precision",
    "qpv_status",
    "qpv_code",
    "qpv_name",
    "qpv_determined_on",
    "qpv_precision",
    "qpv_valid_until",
)


class AddressError(DomainError):
    """A French message about one field of the address (``field``)."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Location:
    commune: object
    latitude: float | None
    longitude: float | None
    precision: str
    qpv: geo.QpvStatus | None

    def values(self):
        """The person's fields this location sets (``LOCATION_FIELDS``)."""
        qpv = self.qpv
        return {
            "commune": self.commune,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geocoding_precision": self.precision,
            "qpv_status": qpv.status if qpv else QpvResidence.UNKNOWN,
            "qpv_code": qpv.qpv_code if qpv else "",
            "qpv_name": qpv.qpv_name if qpv else "",
            "qpv_determined_on": qpv.determined_on if qpv else None,
            "qpv_precision": qpv.precision if qpv else "",
            # A new address is geocoded anew: an attestation of the old one no longer holds.
            "qpv_valid_until": None,
        }


NOWHERE = Location(None, None, None, "", None)


def check_commune(postal_code, commune):
    """The commune of the address: the one chosen, or the only one of the postal code."""
    if not postal_code:
        if commune is not None:
            raise AddressError("postal_code", "Indiquez le code postal de la commune.")
        return None
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


def locate(address_line, postal_code, commune, *, on=None):
    """The ``Location`` of an address (postal code and commune already checked)."""
    if commune is None:
        return NOWHERE
    try:
        result = geo.geocode(address_line, postal_code, commune.name)
    except geo.GeocodingError:
        return Location(commune, commune.latitude, commune.longitude, "commune", None)
    if result.commune_insee and result.commune_insee != commune.insee_code:
        # The address was found in another commune than the one chosen: keep the commune.
        return Location(commune, commune.latitude, commune.longitude, "commune", None)
    on = on or timezone.localdate()
    return Location(commune, result.lat, result.lon, result.precision, geo.qpv_status(result, on))
