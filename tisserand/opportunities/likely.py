"""Companies likely to hire (the La Bonne Boîte principle), for one occupation and a place.

Each establishment of the territory with a NAF sector is ranked by a hiring potential made of
explained parts, each between 0 and 1:

- the sector's affinity: the share of its NAF sub-class's hirings made in this ROME fiche
  (``referentials.rome.Hiring``), relative to the best sector of the list (weight 0.5);
- its size: the INSEE headcount band (weight 0.2);
- its recent offers and recruitment needs in the network (weight 0.2);
- the house's relationship with it: an HR club (weight 0.1).

The bassin's tension for the occupation (``BassinTension``) is said beside, as context. An
establishment that asked to be left out (``HiringOptOut``) never appears.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from tisserand.companies.models import Establishment, HrClubMember, NeedKind
from tisserand.opportunities.models import JobOffer
from tisserand.opportunities.search import KM_PER_DEGREE
from tisserand.referentials.rome.models import BassinTension, Hiring

WEIGHTS = {"sector": 0.5, "size": 0.2, "activity": 0.2, "relationship": 0.1}
RECENT_DAYS = 180
# Headcount band → size factor (0 for unknown or none).
SIZE = {
    "00": 0.1, "01": 0.2, "02": 0.3, "03": 0.4, "11": 0.5, "12": 0.65, "21": 0.8,
    "22": 0.9, "31": 1.0, "32": 1.0, "41": 1.0, "42": 1.0, "51": 1.0, "52": 1.0, "53": 1.0,
}  # fmt: skip
LIMIT = 50


@dataclass(frozen=True)
class Potential:
    establishment: object
    score: float
    parts: dict
    reasons: tuple

    @property
    def percent(self):
        return round(self.score * 100)


def sector_shares(fiche):
    """naf_id → share of that sub-class's hirings made in ``fiche``."""
    own = dict(
        Hiring.objects.filter(fiche=fiche)
        .values("naf_id")
        .annotate(n=Sum("count"))
        .values_list("naf_id", "n")
    )
    totals = dict(
        Hiring.objects.filter(naf_id__in=own)
        .values("naf_id")
        .annotate(n=Sum("count"))
        .values_list("naf_id", "n")
    )
    return {naf: own[naf] / totals[naf] for naf in own if totals.get(naf)}


def tension_of(fiche, bassin_code):
    if not bassin_code:
        return None
    return (
        BassinTension.objects.filter(fiche=fiche, bassin_code=bassin_code).order_by("-year").first()
    )


def rank(fiche, *, point=None, radius_km=20, limit=LIMIT):
    shares = sector_shares(fiche)
    if not shares:
        return []
    establishments = (
        Establishment.objects.active()
        .filter(naf_id__in=shares, hiring_opt_out__isnull=True)
        .select_related("legal_unit", "naf", "commune")
    )
    if point is not None:
        d = radius_km / KM_PER_DEGREE
        establishments = establishments.filter(
            latitude__gte=point[0] - d,
            latitude__lte=point[0] + d,
            longitude__gte=point[1] - 2 * d,
            longitude__lte=point[1] + 2 * d,
        )
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    establishments = establishments.annotate(
        recent_offers=Count(
            "job_offers", filter=Q(job_offers__published_at__gte=since), distinct=True
        ),
        recruitment_needs=Count(
            "needs",
            filter=Q(needs__subject__kind=NeedKind.RECRUITMENT, needs__created_at__gte=since),
            distinct=True,
        ),
    )[:2000]
    rows = list(establishments)
    in_club = set(
        HrClubMember.objects.filter(establishment__in=[e.pk for e in rows]).values_list(
            "establishment_id", flat=True
        )
    )
    best = max(shares.values())
    results = []
    for establishment in rows:
        share = shares.get(establishment.naf_id, 0.0)
        parts = {
            "sector": share / best if best else 0.0,
            "size": SIZE.get(establishment.headcount_band, 0.0),
            "activity": min(
                1.0, (establishment.recent_offers + establishment.recruitment_needs) / 3
            ),
            "relationship": 1.0 if establishment.pk in in_club else 0.0,
        }
        score = sum(WEIGHTS[name] * value for name, value in parts.items())
        reasons = [
            f"{share:.0%} des embauches du secteur « {establishment.naf.label} » se font dans ce "
            "métier"
        ]
        if parts["size"]:
            reasons.append(f"effectif : {establishment.get_headcount_band_display()}")
        else:
            reasons.append("effectif inconnu (ne compte pas)")
        if establishment.recent_offers or establishment.recruitment_needs:
            reasons.append(
                f"{establishment.recent_offers} offre(s) et {establishment.recruitment_needs} "
                "besoin(s) de recrutement depuis 6 mois"
            )
        if parts["relationship"]:
            reasons.append("membre d'un club RH de la Maison de l'Emploi")
        results.append(Potential(establishment, round(score, 4), parts, tuple(reasons)))
    results.sort(key=lambda p: (-p.score, p.establishment.search_name, p.establishment.pk))
    return results[:limit]


def recent_offer_count(establishment):
    return JobOffer.objects.filter(establishment=establishment).count()
