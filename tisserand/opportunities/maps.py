"""A static map of a page of offers, drawn on the server as SVG (no tiles, no script, no
third-party host): each offer is a numbered point, the same number as in the list beside it,
and the searched commune a cross. The list stays the primary view."""

from dataclasses import dataclass
from math import cos, radians

WIDTH, HEIGHT, MARGIN = 360, 260, 20


@dataclass(frozen=True)
class Point:
    number: int
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Map:
    points: tuple
    centre: tuple | None
    width: int = WIDTH
    height: int = HEIGHT
    unplaced: int = 0


def render(offers, centre=None):
    placed = [(i, o) for i, o in enumerate(offers, start=1) if o.latitude is not None]
    coords = [(o.latitude, o.longitude) for _, o in placed] + ([centre] if centre else [])
    if not coords:
        return Map(points=(), centre=None, unplaced=len(offers))
    lats = [c[0] for c in coords]
    lons = [c[1] for c in coords]
    mid = (min(lats) + max(lats)) / 2
    scale_x = cos(radians(mid))
    span_x = max((max(lons) - min(lons)) * scale_x, 0.02)
    span_y = max(max(lats) - min(lats), 0.02)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)

    def project(lat, lon):
        return (
            round(MARGIN + (lon - min(lons)) * scale_x * scale, 1),
            round(HEIGHT - MARGIN - (lat - min(lats)) * scale, 1),
        )

    points = tuple(
        Point(number, *project(o.latitude, o.longitude), f"{number}. {o.title} — {o.place_label}")
        for number, o in placed
    )
    return Map(
        points=points,
        centre=project(*centre) if centre else None,
        unplaced=len(offers) - len(placed),
    )
