"""Searching training offers: by ROME code, commune or distance, start dates, certification.

``search_trainings`` filters in SQL (codes, dates, a bounding box around the centre) and
measures distances in Python (haversine): a session is located by its own point when the LHÉO
file gave one, else by its commune's centroid (looked up at query time). The result is a
sequence that loads only the slice asked for — give it to a ``Paginator`` or slice it.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from tisserand.core.errors import DomainError
from tisserand.referentials.trainings import referentials
from tisserand.referentials.trainings.models import CodeKind, Session, Training, TrainingCode

EARTH_RADIUS_KM = 6371.0088
MAX_RADIUS_KM = 200


class SearchError(DomainError, ValueError):
    """A search that cannot be run as asked (French message for the user)."""


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def haversine_km(lat1, lon1, lat2, lon2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat, lon, radius_km):
    """The latitude/longitude rectangle containing the circle of ``radius_km`` around a point."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = math.cos(math.radians(lat))
    dlon = 180.0 if cos_lat < 1e-6 else min(180.0, dlat / cos_lat)
    return Box(lat - dlat, lat + dlat, lon - dlon, lon + dlon)


@dataclass
class Hit:
    training_id: int
    distance_km: float | None = None
    # Ids of the sessions that matched, or None when no criterion bears on sessions.
    session_ids: list | None = None


@dataclass
class TrainingMatch:
    training: Training
    distance_km: float | None
    sessions: list = field(default_factory=list)
    # [(ROME code, fiche label or "")] of the training.
    rome: list = field(default_factory=list)


class TrainingSearch:
    """The ordered matches of a search; slicing loads the trainings of the slice only."""

    def __init__(self, hits, centre=None):
        self.hits = hits
        self.centre = centre

    def __len__(self):
        return len(self.hits)

    def count(self):
        return len(self.hits)

    def training_ids(self):
        return [hit.training_id for hit in self.hits]

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0] if index >= 0 else self[:][index]
        return _hydrate(self.hits[index])


def search_trainings(
    rome_codes=None,
    commune_insee=None,
    radius_km=None,
    starts_after=None,
    starts_before=None,
    certifying=None,
    point=None,
):
    """Trainings matching every criterion given (None means: no criterion).

    ``rome_codes``: any of these codes; ``commune_insee`` alone: a session in that commune;
    with ``radius_km``: a session within that distance of its centroid (or of ``point``, a
    (latitude, longitude) pair); ``starts_after``/``starts_before``: a session starting between
    these dates (inclusive); ``certifying``: True or False. Ordered by distance when a radius is
    given, else by title.
    """
    trainings = _trainings(rome_codes, certifying)
    centre = _centre(commune_insee, radius_km, point)
    if centre is None and not (commune_insee or starts_after or starts_before):
        ids = trainings.order_by("title", "pk").values_list("pk", flat=True)
        return TrainingSearch([Hit(pk) for pk in ids])
    sessions = Session.objects.filter(action__training__in=trainings.values("pk"))
    if starts_after:
        sessions = sessions.filter(start_date__gte=starts_after)
    if starts_before:
        sessions = sessions.filter(start_date__lte=starts_before)
    if centre is None:
        if commune_insee:
            sessions = sessions.filter(commune_insee=commune_insee)
        return TrainingSearch(_hits_by_title(sessions))
    return TrainingSearch(_hits_by_distance(sessions, centre, radius_km), centre=centre)


def _trainings(rome_codes, certifying):
    trainings = Training.objects.all()
    if rome_codes:
        codes = sorted({code.strip().upper() for code in rome_codes})
        with_codes = TrainingCode.objects.filter(kind=CodeKind.ROME, code__in=codes)
        trainings = trainings.filter(pk__in=with_codes.values("training_id"))
    if certifying is not None:
        trainings = trainings.filter(is_certifying=certifying)
    return trainings


def _centre(commune_insee, radius_km, point):
    if radius_km is None:
        return None
    if not 0 < radius_km <= MAX_RADIUS_KM:
        raise SearchError(f"Le rayon doit être compris entre 1 et {MAX_RADIUS_KM} km.")
    if point is not None:
        return tuple(point)
    if not commune_insee:
        raise SearchError("Indiquez une commune pour chercher dans un rayon autour d'elle.")
    centroid = referentials.commune_centroid(commune_insee)
    if centroid is None:
        raise SearchError(
            f"La commune {commune_insee} n'a pas de position connue : cherchez sans rayon."
        )
    return centroid


def _hits_by_title(sessions):
    rows = sessions.order_by("action__training__title", "action__training_id", "start_date")
    hits = {}
    for session_id, training_id in rows.values_list("pk", "action__training_id"):
        hits.setdefault(training_id, Hit(training_id, session_ids=[])).session_ids.append(
            session_id
        )
    return list(hits.values())


def _hits_by_distance(sessions, centre, radius_km):
    lat, lon = centre
    box = bounding_box(lat, lon, radius_km)
    in_box = Q(
        latitude__gte=box.min_lat,
        latitude__lte=box.max_lat,
        longitude__gte=box.min_lon,
        longitude__lte=box.max_lon,
    )
    in_box |= Q(latitude__isnull=True, commune_insee__in=referentials.communes_in_box(box))
    rows = list(
        sessions.filter(in_box).values_list(
            "pk",
            "action__training_id",
            "action__training__title",
            "latitude",
            "longitude",
            "commune_insee",
            "start_date",
        )
    )
    centroids = referentials.commune_centroids({r[5] for r in rows if r[3] is None and r[5]})
    best = {}
    for session_id, training_id, title, s_lat, s_lon, insee, start in rows:
        where = (s_lat, s_lon) if s_lat is not None else centroids.get(insee)
        if where is None:
            continue
        distance = haversine_km(lat, lon, *where)
        if distance > radius_km:
            continue
        hit, _ = best.setdefault(training_id, (Hit(training_id, distance, []), title))
        hit.distance_km = min(hit.distance_km, distance)
        hit.session_ids.append((start is None, start, session_id))
    ordered = sorted(best.values(), key=lambda pair: (pair[0].distance_km, pair[1]))
    for hit, _ in ordered:
        hit.session_ids = [session_id for *_, session_id in sorted(hit.session_ids)]
    return [hit for hit, _ in ordered]


def _hydrate(hits):
    """TrainingMatch objects for ``hits``, in their order, in a constant number of queries."""
    if not hits:
        return []
    trainings = Training.objects.select_related("body").prefetch_related(
        Prefetch("codes", queryset=TrainingCode.objects.order_by("kind", "-is_principal", "code"))
    )
    by_id = {t.pk: t for t in trainings.filter(pk__in=[hit.training_id for hit in hits])}
    all_sessions_of = [hit.training_id for hit in hits if hit.session_ids is None]
    wanted = [sid for hit in hits if hit.session_ids for sid in hit.session_ids]
    sessions = Session.objects.select_related("action").filter(
        Q(pk__in=wanted) | Q(action__training_id__in=all_sessions_of)
    )
    sessions_of = {}
    for session in sessions.order_by("start_date", "pk"):
        sessions_of.setdefault(session.action.training_id, {})[session.pk] = session
    labels = referentials.rome_labels(
        code.code for t in by_id.values() for code in t.codes.all() if code.kind == CodeKind.ROME
    )
    matches = []
    for hit in hits:
        found = sessions_of.get(hit.training_id, {})
        ordered = (
            list(found.values())
            if hit.session_ids is None
            else [found[sid] for sid in hit.session_ids if sid in found]
        )
        training = by_id[hit.training_id]
        matches.append(TrainingMatch(training, hit.distance_km, ordered, rome_of(training, labels)))
    return matches


def rome_of(training, labels):
    """[(code, label)] of a training's ROME codes (its ``codes`` prefetched)."""
    return [
        (code.code, labels.get(code.code, ""))
        for code in training.codes.all()
        if code.kind == CodeKind.ROME
    ]
