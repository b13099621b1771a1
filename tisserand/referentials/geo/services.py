"""What other apps use of the territory: communes, bassins, QPV, geocoding.

Keep these names stable: ``bassin_code_for_commune``, ``commune_for_postal_code``, ``qpv_at``,
``qpv_status``, ``geocode`` (with ``GeocodingResult`` and ``QpvStatus``), ``search_communes``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from tisserand.referentials.geo import cog, qpv_index
from tisserand.referentials.geo.geocoding import (
    GeocodingError,
    GeocodingResult,
    commune_centroid,
    geocode,
)
from tisserand.referentials.geo.models import Commune, PostalCode, Qpv, QpvImport
from tisserand.referentials.geo.text import search_key

__all__ = [
    "GeocodingError",
    "GeocodingResult",
    "QpvStatus",
    "bassin_code_for_commune",
    "commune_by_insee_code",
    "commune_centroid",
    "commune_surroundings",
    "commune_for_postal_code",
    "geocode",
    "qpv_at",
    "qpvs_at",
    "qpv_status",
    "search_communes",
]


def bassin_code_for_commune(insee_code: str) -> str | None:
    """The bassin d'emploi code of a commune (``"3217"`` for Roubaix), or None."""
    return (
        Commune.objects.filter(insee_code=(insee_code or "").strip().upper())
        .values_list("bassin__code", flat=True)
        .first()
    )


def commune_for_postal_code(postal_code: str) -> list[Commune]:
    """The communes a postal code covers (several for some codes), by name."""
    return list(
        Commune.objects.filter(postal_codes__code=(postal_code or "").strip())
        .distinct()
        .select_related("departement", "bassin")
    )


def commune_by_insee_code(insee_code: str) -> Commune | None:
    return (
        with_postal_codes(Commune.objects.select_related("departement"))
        .filter(insee_code=(insee_code or "").strip().upper())
        .first()
    )


def with_postal_codes(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("postal_codes", queryset=PostalCode.objects.order_by("code"))
    )


def search_communes(query: str, limit: int | None = None) -> QuerySet:
    """Communes matching a name (accents and case ignored), a postal code or an INSEE code.

    Best first: exact name, then names starting with the query, then names containing it;
    current communes before former ones. Returns a queryset (slice it).
    """
    query = (query or "").strip()
    communes = with_postal_codes(Commune.objects.select_related("departement"))
    if query.isdigit() or cog.is_insee_code(query.upper()):
        return _by_code(communes, query.upper())[:limit]
    key = search_key(query)
    if not key:
        return communes.none()
    ranked = communes.filter(search_name__contains=key).annotate(
        rank=Case(
            When(search_name=key, then=Value(0)),
            When(search_name__startswith=key, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return ranked.order_by("is_former", "rank", "name", "insee_code")[:limit]


def _by_code(communes, code):
    """Postal code first (what people type), then INSEE code, then postal codes starting so."""
    # A range rather than LIKE: the index on postal codes serves it on every database.
    following = code[:-1] + chr(ord(code[-1]) + 1)
    starting = PostalCode.objects.filter(code__gte=code, code__lt=following)
    exact = PostalCode.objects.filter(code=code)
    ranked = communes.filter(Q(insee_code=code) | Q(pk__in=starting.values("commune_id"))).annotate(
        rank=Case(
            When(pk__in=exact.values("commune_id"), then=Value(0)),
            When(insee_code=code, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return ranked.order_by("rank", "is_former", "name", "insee_code")


def qpv_at(lat: float, lon: float) -> Qpv | None:
    """The QPV containing the point (WGS84), or None. Fast: an in-memory spatial index."""
    return qpv_index.current().locate(lat, lon)


def qpvs_at(points: Iterable[tuple[float, float]]) -> list[Qpv | None]:
    """For each ``(lat, lon)``, the QPV containing it or None; vectorised for large batches."""
    points = list(points)
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    return qpv_index.current().locate_many(lats, lons)


IN_QPV, NOT_IN_QPV, UNKNOWN = "in_qpv", "not_in_qpv", "unknown"


@dataclass(frozen=True)
class QpvStatus:
    """Whether an address lies in a QPV, as determined on a date from a geocoding result.

    Asserted (in or not in a QPV) only from an address-level point; otherwise ``unknown``.
    """

    status: str  # "in_qpv" | "not_in_qpv" | "unknown"
    determined_on: date
    precision: str
    qpv_code: str = ""
    qpv_name: str = ""
    reason: str = ""
    # When the QPV contours used were imported (None when there were none).
    contours_imported_at: datetime | None = None

    @property
    def in_qpv(self):
        """True, False, or None when unknown."""
        return None if self.status == UNKNOWN else self.status == IN_QPV

    @property
    def label(self):
        if self.status == IN_QPV:
            return f"Réside en QPV : {self.qpv_name} ({self.qpv_code})"
        if self.status == NOT_IN_QPV:
            return "Ne réside pas en QPV"
        return "Statut QPV indéterminé"


def qpv_status(result: GeocodingResult, on: date | None = None) -> QpvStatus:
    """The QPV status of a geocoded address, dated ``on`` (today by default)."""
    index = qpv_index.current()
    status = partial(
        QpvStatus,
        determined_on=on or timezone.localdate(),
        precision=result.precision,
        contours_imported_at=index.imported_at,
    )
    if not index.is_loaded:
        return status(UNKNOWN, reason="Les contours des QPV ne sont pas importés.")
    if not result.is_address_level:
        return status(
            UNKNOWN,
            reason=f"Adresse localisée {result.precision_label} seulement : "
            "un QPV se détermine au numéro de la rue.",
        )
    qpv = index.locate(result.lat, result.lon)
    if qpv is None:
        return status(NOT_IN_QPV, reason="Adresse hors des QPV 2024.")
    return status(
        IN_QPV, qpv_code=qpv.code, qpv_name=qpv.name, reason="Adresse située dans un QPV 2024."
    )


def commune_surroundings(commune: Commune) -> dict[str, object]:
    """What a commune page shows around the commune: its bassin, EPCI and QPV."""
    bassin_communes = (
        list(
            Commune.objects.filter(bassin_id=commune.bassin_id, is_former=False).only(
                "insee_code", "name"
            )
        )
        if commune.bassin_id
        else []
    )
    return {
        "bassin_communes": bassin_communes,
        "epci_commune_count": (
            Commune.objects.filter(epci_id=commune.epci_id).count() if commune.epci_id else 0
        ),
        "qpvs": list(Qpv.objects.filter(communes=commune).defer("geometry").order_by("code")),
        "qpv_loaded": QpvImport.objects.exists(),
    }
