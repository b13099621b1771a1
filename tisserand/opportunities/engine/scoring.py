"""Score one person against one offer, each criterion between 0 and 1 and explained in French.

The score is the weighted sum over the sum of *all* weights: a criterion the profile does not
fill counts zero, so a score means the same for every profile. Barriers from the diagnosis
and a missing driving licence are explicit penalties, each one said, never hidden.

Never claim what the person did not confirm: a skill that only comes from the occupation the
person aims at is « à vérifier », and a licence the record does not state is « à vérifier ».
"""

from dataclasses import dataclass, field
from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0

WEIGHTS = {
    "occupation": 0.35,
    "skills": 0.30,
    "distance": 0.20,
    "contract": 0.10,
    "working_time": 0.05,
}
TOTAL_WEIGHT = sum(WEIGHTS.values())
# Skills the fiche flags « cœur de métier » weigh this much more than the others.
CORE_WEIGHT = 2.0
OFFER_SKILL_WEIGHT = 1.5
DEFAULT_RADIUS_KM = 15

PENALTY_LICENCE = 0.15
PENALTY_CHILDCARE = 0.10
PENALTY_MOBILITY = 0.05
CHILDCARE_THEME = "family"
MOBILITY_THEME = "mobility"


@dataclass(frozen=True)
class PersonProfile:
    key: object
    label: str = ""
    target_appellations: frozenset = frozenset()
    target_fiches: frozenset = frozenset()
    # Fiches one official mobility away from a target.
    neighbour_fiches: frozenset = frozenset()
    confirmed_skills: frozenset = frozenset()
    point: tuple | None = None
    radius_km: int | None = None
    contract_types: frozenset = frozenset()
    working_time: str = "any"
    # "b", "other", "none", "learning" or "" (unknown)
    driving_licence: str = ""
    has_vehicle: bool = False
    # Barrier themes rated significant or major in the current diagnosis.
    barriers: frozenset = frozenset()


@dataclass(frozen=True)
class OfferFeatures:
    key: object
    title: str = ""
    appellation: int | None = None
    fiche: str = ""
    # code OGR -> required (True) or desired (False)
    skills: dict = field(default_factory=dict)
    # The skills of the offer's fiche, and those of them flagged « cœur de métier ».
    fiche_skills: frozenset = frozenset()
    core_skills: frozenset = frozenset()
    point: tuple | None = None
    contract_type: str = ""
    working_time: str = "any"
    requires_licence: bool = False
    unsocial_hours: bool = False


@dataclass(frozen=True)
class Match:
    key: object
    score: float
    criteria: dict
    reasons: tuple
    to_check: tuple
    penalties: tuple

    @property
    def percent(self):
        return round(self.score * 100)


def haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(radians, (a[0], a[1], b[0], b[1]))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def _occupation(person, offer):
    if offer.appellation is not None and offer.appellation in person.target_appellations:
        return 1.0, "même métier que celui visé"
    if offer.fiche and offer.fiche in person.target_fiches:
        return 0.9, f"même fiche ROME que le métier visé ({offer.fiche})"
    if offer.fiche and offer.fiche in person.neighbour_fiches:
        return 0.6, f"métier proche du métier visé (mobilité officielle ROME, {offer.fiche})"
    return 0.0, ""


def _skill_weight(code, offer):
    weight = CORE_WEIGHT if code in offer.core_skills else 1.0
    if code in offer.skills:
        weight *= OFFER_SKILL_WEIGHT
    return weight


def _skills(person, offer, labels):
    wanted = set(offer.skills) | set(offer.fiche_skills)
    if not wanted:
        return 0.0, "", ()
    total = sum(_skill_weight(code, offer) for code in wanted)
    held = wanted & person.confirmed_skills
    value = sum(_skill_weight(code, offer) for code in held) / total
    reason = ""
    if held:
        names = sorted(labels.get(code, str(code)) for code in held)
        reason = f"{len(held)} compétence(s) confirmée(s) en commun : " + ", ".join(names[:5])
    # Required skills of the offer that the person did not confirm: to check, never claimed.
    to_check = tuple(
        sorted(
            labels.get(code, str(code))
            for code, required in offer.skills.items()
            if required and code not in person.confirmed_skills
        )
    )
    return value, reason, to_check


def _distance(person, offer):
    if person.point is None or offer.point is None:
        return 0.0, "", None
    km = haversine_km(person.point, offer.point)
    radius = person.radius_km or DEFAULT_RADIUS_KM
    if km <= radius:
        value = 1.0
    elif km >= 2 * radius:
        value = 0.0
    else:
        value = 1.0 - (km - radius) / radius
    reason = f"à {km:.0f} km (rayon de mobilité : {radius} km)"
    return value, reason, km


def _contract(person, offer):
    if not person.contract_types or not offer.contract_type:
        return 0.0, ""
    if offer.contract_type in person.contract_types:
        return 1.0, f"contrat recherché ({offer.contract_type})"
    return 0.0, ""


def _working_time(person, offer):
    if person.working_time == "any" or offer.working_time == "any":
        return 0.0, ""
    if person.working_time == offer.working_time:
        return 1.0, "temps de travail souhaité"
    return 0.0, ""


def score(person, offer, skill_labels=None):
    """The ``Match`` of ``person`` for ``offer``."""
    labels = skill_labels or {}
    criteria, reasons = {}, []
    criteria["occupation"], reason = _occupation(person, offer)
    reasons.append(reason)
    criteria["skills"], reason, to_check = _skills(person, offer, labels)
    reasons.append(reason)
    criteria["distance"], reason, km = _distance(person, offer)
    reasons.append(reason)
    criteria["contract"], reason = _contract(person, offer)
    reasons.append(reason)
    criteria["working_time"], reason = _working_time(person, offer)
    reasons.append(reason)
    checks = [f"compétence à vérifier : {name}" for name in to_check]
    penalties = []
    value = sum(WEIGHTS[name] * criteria[name] for name in WEIGHTS) / TOTAL_WEIGHT
    if offer.requires_licence:
        if person.driving_licence in ("none", "learning"):
            penalties.append(("permis de conduire exigé : la personne n'en a pas", PENALTY_LICENCE))
        elif person.driving_licence == "":
            checks.append("permis de conduire exigé : à vérifier")
    if offer.unsocial_hours and CHILDCARE_THEME in person.barriers:
        penalties.append(
            ("horaires de nuit ou de week-end et contrainte de garde d'enfants", PENALTY_CHILDCARE)
        )
    if (
        MOBILITY_THEME in person.barriers
        and km is not None
        and km > (person.radius_km or DEFAULT_RADIUS_KM) / 2
        and not person.has_vehicle
    ):
        penalties.append(("frein de mobilité et trajet long sans véhicule", PENALTY_MOBILITY))
    value = max(0.0, value - sum(amount for _, amount in penalties))
    return Match(
        key=offer.key,
        score=round(value, 4),
        criteria=criteria,
        reasons=tuple(reason for reason in reasons if reason),
        to_check=tuple(checks),
        penalties=tuple(text for text, _ in penalties),
    )
