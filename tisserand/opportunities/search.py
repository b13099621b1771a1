"""The offers search for professionals: the criteria, and one queryset for them.

Distance: a bounding box (indexed columns), then the equirectangular distance computed in SQL
(plain arithmetic, the same on SQLite and PostgreSQL; under 0.5 % from the great-circle
distance at these ranges). The page costs the same number of queries whatever the data.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from math import cos, radians

from django.db.models import F, FloatField, Q, Value
from django.db.models.expressions import ExpressionWrapper
from django.utils import timezone

from tisserand.core.text import fold
from tisserand.opportunities.models import JobOffer
from tisserand.referentials.rome.models import Mobility

KM_PER_DEGREE = 111.2
RADII = (5, 10, 20, 30, 50, 100)
DEFAULT_RADIUS = 20


@dataclass
class Criteria:
    fiche: object = None
    appellation: object = None
    with_neighbours: bool = False
    commune: object = None
    radius_km: int = DEFAULT_RADIUS
    contract_types: list = field(default_factory=list)
    experience: str = ""
    working_time: str = ""
    alternance: bool = False
    accessible_th: bool = False
    siae: bool = False
    adapted: bool = False
    source: str = ""
    text: str = ""
    # Published within that many days (0: any date).
    since_days: int = 0
    establishment: object = None

    def to_params(self):
        """A JSON-able description (saved searches)."""
        return {
            "fiche": self.fiche.code if self.fiche else "",
            "appellation": self.appellation.code_ogr if self.appellation else "",
            "with_neighbours": self.with_neighbours,
            "commune": self.commune.insee_code if self.commune else "",
            "radius_km": self.radius_km,
            "contract_types": list(self.contract_types),
            "experience": self.experience,
            "working_time": self.working_time,
            "alternance": self.alternance,
            "accessible_th": self.accessible_th,
            "siae": self.siae,
            "adapted": self.adapted,
            "source": self.source,
            "text": self.text,
            "since_days": self.since_days,
        }


def neighbour_ids(fiche):
    """The fiches one official mobility away from ``fiche``."""
    return set(Mobility.objects.filter(source=fiche).values_list("target_id", flat=True))


def point_of(commune):
    if commune is None or commune.latitude is None:
        return None
    return commune.latitude, commune.longitude


def within(offers, point, radius_km):
    """Offers within ``radius_km`` of ``point``, annotated with ``distance_km``."""
    lat, lon = point
    dlat = radius_km / KM_PER_DEGREE
    scale = cos(radians(lat))
    dlon = dlat / max(scale, 0.01)
    offers = offers.filter(
        latitude__gte=lat - dlat,
        latitude__lte=lat + dlat,
        longitude__gte=lon - dlon,
        longitude__lte=lon + dlon,
    )
    squared = ExpressionWrapper(
        (F("latitude") - Value(lat)) * (F("latitude") - Value(lat))
        + (F("longitude") - Value(lon)) * (F("longitude") - Value(lon)) * Value(scale * scale),
        output_field=FloatField(),
    )
    limit = (radius_km / KM_PER_DEGREE) ** 2
    return offers.annotate(distance_sq=squared).filter(distance_sq__lte=limit)


def search(criteria, base=None):
    offers = (base if base is not None else JobOffer.objects.searchable()).select_related(
        "establishment__legal_unit", "commune", "fiche"
    )
    # An appellation stands for its fiche: the offers of the same fiche are the same trade
    # (an index on the fiche serves it; an OR with the appellation would not).
    fiche = criteria.fiche or (criteria.appellation.fiche if criteria.appellation else None)
    if fiche is not None:
        ids = {fiche.pk}
        if criteria.with_neighbours:
            ids |= neighbour_ids(fiche)
        offers = offers.filter(fiche_id__in=ids)
    point = point_of(criteria.commune)
    if point is not None:
        offers = within(offers, point, criteria.radius_km)
    if criteria.contract_types:
        offers = offers.filter(contract_type__in=criteria.contract_types)
    if criteria.experience == "D":
        offers = offers.filter(experience__in=["D", ""])
    elif criteria.experience:
        offers = offers.filter(experience=criteria.experience)
    if criteria.working_time:
        offers = offers.filter(working_time=criteria.working_time)
    if criteria.alternance:
        offers = offers.filter(alternance=True)
    if criteria.accessible_th:
        offers = offers.filter(accessible_th=True)
    if criteria.siae:
        offers = offers.filter(establishment__insertion_kind__gt="")
    if criteria.adapted:
        offers = offers.filter(Q(establishment__adapted_kind__gt="") | Q(company_is_adapted=True))
    if criteria.source:
        offers = offers.filter(source=criteria.source)
    if criteria.since_days:
        offers = offers.filter(
            published_at__gte=timezone.now() - timedelta(days=criteria.since_days)
        )
    if criteria.establishment is not None:
        offers = offers.filter(establishment=criteria.establishment)
    # ``search_text LIKE '%word%'`` on the folded text: on PostgreSQL the trigram index
    # ``opp_offer_search_trgm`` (migration 0002) answers it; SQLite reads the rows.
    for word in fold(criteria.text).split():
        offers = offers.filter(search_text__contains=word)
    if point is not None:
        return offers.order_by("distance_sq", "-published_at", "-id")
    return offers.order_by("-published_at", "-id")


def distance_km(offer):
    squared = getattr(offer, "distance_sq", None)
    return None if squared is None else (squared**0.5) * KM_PER_DEGREE
