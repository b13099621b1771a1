"""Reads several screens share: the search of services, the referrals a structure sent and
received, and the follow-up figures.

The search is one query for the page (plus its count and one for the thematics of the rows
shown), whatever the number of services: filters are ``IN`` subqueries on indexed tables,
and the distance is computed in SQL (an equirectangular approximation, exact enough to sort
services of a bassin), so the query count never grows with the data.
"""

import math
import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tisserand.core.text import fold
from tisserand.referrals import zones
from tisserand.referrals.models import (
    ANSWERED_STATES,
    UNMET_STATES,
    Referral,
    ReferralState,
    Service,
    ServiceThematic,
    ServiceZone,
    Thematic,
)

MASK_UNDER = 5


@dataclass
class Filters:
    thematics: list = field(default_factory=list)  # codes (a family covers its thematics)
    commune: object = None  # a geo Commune: its eligibility zone covers it, nearest first
    public: str = ""
    on_site: bool = False
    remote: bool = False
    text: str = ""


def _covers(commune):
    condition = Q()
    for kind, code in zones.covering(commune):
        condition |= Q(kind=kind, code=code)
    # An uncorrelated ``IN``: both engines build the set of matching services once.
    return Q(pk__in=ServiceZone.objects.filter(condition).values("service_id"))


def _has_thematic(codes):
    families = [code for code in codes if "--" not in code]
    chosen = Q(code__in=codes)
    if families:
        chosen |= Q(parent__code__in=families)
    thematic_ids = Thematic.objects.filter(chosen).values("pk")
    return Q(
        pk__in=ServiceThematic.objects.filter(thematic_id__in=thematic_ids).values("service_id")
    )


def search_services(filters, today=None):
    """The visible services (updated within 240 days) matching ``filters``, nearest first when
    a commune is given, else by name. A queryset of narrow rows (id, name, distance): the
    caller paginates it, then reads the page's services whole (``page_rows``)."""
    services = Service.objects.visible(today).only("pk", "name")
    if filters.thematics:
        services = services.filter(_has_thematic(filters.thematics))
    if filters.public:
        services = services.filter(
            Q(publics_key="") | Q(publics_key__contains=f"|{filters.public}|")
        )
    if filters.on_site:
        services = services.filter(on_site=True)
    if filters.remote:
        services = services.filter(remote=True)
    for word in fold(filters.text).split():
        services = services.filter(search_text__contains=f" {word}")
    commune = filters.commune
    if commune is not None:
        services = services.filter(_covers(commune))
        if commune.latitude is not None and commune.longitude is not None:
            scale = math.cos(math.radians(commune.latitude))
            dlat = F("latitude") - Value(commune.latitude)
            dlon = (F("longitude") - Value(commune.longitude)) * Value(scale)
            # Degrees squared → km: 111.2 km per degree; the square root is taken in Python.
            services = services.annotate(
                distance2=ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())
            ).order_by(F("distance2").asc(nulls_last=True), "name", "pk")
            return services
    return services.order_by("name", "pk")


def page_rows(page):
    """The services of a page of ``search_services``, whole, with their structure, commune,
    thematics and distance, in the page's order (two queries)."""
    ids = [service.pk for service in page]
    rows = {
        row.pk: row
        for row in with_thematics(
            Service.objects.filter(pk__in=ids).select_related("structure", "commune")
        )
    }
    shown = []
    for service in page:
        row = rows[service.pk]
        row.distance = distance_km(service)
        shown.append(row)
    return shown


def with_thematics(services):
    """The page's services with their thematics (one query for the page)."""
    return services.prefetch_related(
        Prefetch("thematics", queryset=Thematic.objects.order_by("order"))
    )


def distance_km(service):
    value = getattr(service, "distance2", None)
    return None if value is None else round(math.sqrt(value) * 111.2, 1)


def referrals_received(membership):
    return Referral.objects.filter(receiving_structure_id=membership.structure_id)


def referrals_sent(membership):
    return Referral.objects.filter(sender_structure_id=membership.structure_id)


def listed(referrals):
    return referrals.select_related("person", "service__structure", "sender").order_by(
        "-sent_at", "-pk"
    )


# --- Follow-up figures -------------------------------------------------------------------------

WINDOW_DAYS = 365


@dataclass
class Figures:
    total: int
    waiting: int
    accepted: int
    refused: int
    expired: int
    median_hours: float | None

    @property
    def answered(self):
        return self.accepted + self.refused

    @property
    def acceptance_rate(self):
        closed = self.accepted + self.refused + self.expired
        return round(100 * self.accepted / closed) if closed else None


def figures(referrals, now=None):
    """Counts by state and the median response time of the referrals sent in the last 365 days
    (two queries; the median reads the answered referrals' two dates, bounded by the window)."""
    now = now or timezone.now()
    window = referrals.filter(sent_at__gte=now - timedelta(days=WINDOW_DAYS))
    counts = window.aggregate(
        total=Count("pk"),
        waiting=Count("pk", filter=Q(state=ReferralState.SENT)),
        accepted=Count("pk", filter=Q(state=ReferralState.ACCEPTED)),
        refused=Count("pk", filter=Q(state=ReferralState.REFUSED)),
        expired=Count("pk", filter=Q(state=ReferralState.EXPIRED)),
    )
    delays = [
        (answered - sent).total_seconds() / 3600
        for sent, answered in window.filter(state__in=ANSWERED_STATES).values_list(
            "sent_at", "answered_at"
        )
    ]
    median = round(statistics.median(delays), 1) if delays else None
    return Figures(median_hours=median, **counts)


def unmet_demand(referrals, now=None):
    """Per thematic family, the referrals refused or expired (the needs the partners could not
    meet) and all the referrals, over the last 365 days: one query."""
    now = now or timezone.now()
    rows = (
        ServiceThematic.objects.filter(
            service__referrals__in=referrals.filter(sent_at__gte=now - timedelta(days=WINDOW_DAYS))
        )
        .annotate(family=Coalesce("thematic__parent__label", "thematic__label"))
        .values("family")
        .annotate(
            total=Count("service__referrals", distinct=True),
            unmet=Count(
                "service__referrals",
                filter=Q(service__referrals__state__in=UNMET_STATES),
                distinct=True,
            ),
        )
        .order_by("-unmet", "family")
    )
    return list(rows)


def masked(value):
    """A count a funder reads: « < 5 » under 5 (never 0 shown for a small group)."""
    if value is None:
        return "—"
    return f"< {MASK_UNDER}" if 0 < value < MASK_UNDER else str(value)
