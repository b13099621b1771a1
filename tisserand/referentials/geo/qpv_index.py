"""Which QPV contains a point: an in-memory spatial index of all QPV contours.

The contours are loaded once per process into a shapely STRtree of prepared geometries. An
import in this process drops the index at once (``invalidate``); other processes notice a new
import by its token, checked at most every ``CHECK_INTERVAL`` seconds.
"""

import threading
import time

import numpy as np
import shapely

from tisserand.referentials.geo.models import Qpv, QpvImport

CHECK_INTERVAL = 2.0

_lock = threading.Lock()
_cache = {"index": None, "checked_at": 0.0}


class QpvIndex:
    def __init__(self, token, qpvs, geometries, imported_at=None):
        self.token = token
        # When the contours in use were imported (None when none are).
        self.imported_at = imported_at
        self.qpvs = qpvs
        self.geometries = np.array(geometries, dtype=object)
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)

    def __len__(self):
        return len(self.qpvs)

    @property
    def is_loaded(self):
        """Whether a QPV list has been imported at all (otherwise no point can be judged)."""
        return self.token is not None

    def locate(self, lat, lon):
        """The QPV containing the point (its boundary included), or None."""
        for position in self.tree.query(shapely.Point(lon, lat)):
            if shapely.intersects_xy(self.geometries[position], lon, lat):
                return self.qpvs[position]
        return None

    def locate_many(self, lats, lons):
        """For each point, the QPV containing it or None (vectorised)."""
        lats = np.asarray(lats, dtype=float)
        lons = np.asarray(lons, dtype=float)
        found = [None] * len(lats)
        if not len(lats) or not len(self.qpvs):
            return found
        point_positions, qpv_positions = self.tree.query(shapely.points(lons, lats))
        inside = shapely.intersects_xy(
            self.geometries[qpv_positions], lons[point_positions], lats[point_positions]
        )
        for point, qpv in zip(point_positions[inside], qpv_positions[inside], strict=True):
            if found[point] is None:
                found[point] = self.qpvs[qpv]
        return found


def _latest_import():
    return QpvImport.objects.order_by("-pk").values_list("token", "imported_at").first()


def _build(token, imported_at):
    qpvs = list(Qpv.objects.defer("geometry").order_by("pk"))
    blobs = dict(Qpv.objects.values_list("pk", "geometry"))
    geometries = shapely.from_wkb([bytes(blobs[qpv.pk]) for qpv in qpvs])
    return QpvIndex(token, qpvs, geometries, imported_at)


def current():
    """The index of the QPV contours in the database, built or refreshed when needed."""
    index = _cache["index"]
    now = time.monotonic()
    if index is not None and now - _cache["checked_at"] < CHECK_INTERVAL:
        return index
    with _lock:
        token, imported_at = _latest_import() or (None, None)
        index = _cache["index"]
        if index is None or index.token != token:
            index = _build(token, imported_at)
        _cache.update(index=index, checked_at=now)
    return index


def invalidate():
    """Forget the index of this process (after an import, or in tests)."""
    with _lock:
        _cache.update(index=None, checked_at=0.0)
