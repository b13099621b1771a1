"""What the trainings need from the other referentials, looked up when called.

The ROME and geography apps are loaded independently of the trainings (and built separately):
every function here degrades gracefully when their tables are empty (not imported yet) — codes
are then shown bare and distances use the sessions' own coordinates only.
"""

from django.http import Http404

from tisserand.core.pickers import get_picker
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.rome.models import Appellation, Fiche

CHUNK = 500


def _chunks(values):
    values = sorted(set(values))
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


# --- ROME -----------------------------------------------------------------------------------


def known_rome_codes(codes):
    """The codes among ``codes`` the ROME referential knows, or None when it is not loaded."""
    if not Fiche.objects.exists():
        return None
    known = set()
    for chunk in _chunks(codes):
        known.update(Fiche.objects.filter(code__in=chunk).values_list("code", flat=True))
    return known


def rome_labels(codes):
    """{code: label} of the ROME fiches known among ``codes`` (empty without the referential)."""
    codes = sorted(set(codes))
    if not codes:
        return {}
    return dict(Fiche.objects.filter(code__in=codes).values_list("code", "label"))


def rome_codes_matching(text, limit=10):
    """ROME codes of the occupations a text designates: through the ROME app's picker search
    (accents and typos tolerated) when it is registered, else by fiche or job-title label."""
    text = text.strip()
    if not text:
        return []
    try:
        picker = get_picker("rome")
    except Http404:
        return _rome_codes_by_label(text, limit)
    return list(dict.fromkeys(picker.value_of(fiche) for fiche in picker.search(text, limit)))


def _rome_codes_by_label(text, limit):
    codes = list(Fiche.objects.filter(label__icontains=text).values_list("code", flat=True)[:limit])
    if len(codes) < limit:
        codes += list(
            Appellation.objects.filter(label__icontains=text)
            .values_list("fiche__code", flat=True)
            .distinct()[: limit - len(codes)]
        )
    return list(dict.fromkeys(codes))


# --- Communes -------------------------------------------------------------------------------


def known_communes(insee_codes):
    """The INSEE codes among ``insee_codes`` that exist, or None when communes are not loaded."""
    if not Commune.objects.exists():
        return None
    known = set()
    for chunk in _chunks(insee_codes):
        known.update(
            Commune.objects.filter(insee_code__in=chunk).values_list("insee_code", flat=True)
        )
    return known


def commune_centroids(insee_codes):
    """{INSEE code: (latitude, longitude)} of the communes among ``insee_codes`` with a centroid."""
    centroids = {}
    for chunk in _chunks(insee_codes):
        rows = Commune.objects.filter(insee_code__in=chunk, latitude__isnull=False)
        centroids.update(
            (code, (lat, lon))
            for code, lat, lon in rows.values_list("insee_code", "latitude", "longitude")
        )
    return centroids


def communes_in_box(box):
    """A query of the INSEE codes of communes whose centroid lies in ``box`` (for a subquery)."""
    return Commune.objects.filter(
        latitude__gte=box.min_lat,
        latitude__lte=box.max_lat,
        longitude__gte=box.min_lon,
        longitude__lte=box.max_lon,
    ).values("insee_code")


def commune_centroid(insee_code):
    return commune_centroids([insee_code]).get(insee_code)


def commune_names(insee_codes):
    if not insee_codes:
        return {}
    return dict(
        Commune.objects.filter(insee_code__in=sorted(set(insee_codes))).values_list(
            "insee_code", "name"
        )
    )
