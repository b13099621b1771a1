"""Benchmark: which QPV contains a point, against ~1,600 synthetic QPV spread over France.

    .venv/bin/python bench/geo_qpv.py [--qpv 1600] [--points 20000] [--seed 2024]

The official 2024 contours are not on this machine, so the benchmark builds a GeoJSON in their
exact schema: one irregular neighbourhood (150 to 600 vertices, 300 m to 1.5 km across, some
with a hole, some in two or three parts) near the centre of each of ``--qpv`` real communes of
mainland France. It runs on a throw-away test database (temporary SQLite file, or a test
database on the server of DATABASE_URL): imports the communes shipped in data/geo, imports the
GeoJSON with ``import_qpv``, then times ``qpv_at`` one point at a time and ``qpvs_at`` in
batches, on points half near a QPV and half anywhere in France. Target: ≥ 5,000 points/s.
"""

import argparse
import json
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
os.environ.setdefault("TISSERAND_ENV", "test")

MAINLAND = {"min_lon": -4.8, "max_lon": 8.2, "min_lat": 42.3, "max_lat": 51.1}
METRES_PER_DEGREE = 111_320


def ring(rng, lon, lat, radius_m, vertices):
    """A closed irregular star-shaped ring around (lon, lat)."""
    points = []
    for step in range(vertices):
        angle = 2 * math.pi * step / vertices
        wobble = 0.75 + 0.25 * math.sin(5 * angle + rng.random()) + 0.1 * rng.random()
        distance = radius_m * wobble / METRES_PER_DEGREE
        points.append(
            [
                round(lon + distance * math.cos(angle) / math.cos(math.radians(lat)), 7),
                round(lat + distance * math.sin(angle), 7),
            ]
        )
    return [*points, points[0]]


def polygon(rng, lon, lat, radius_m):
    vertices = rng.randint(150, 600)
    rings = [ring(rng, lon, lat, radius_m, vertices)]
    if rng.random() < 0.1:  # a hole (a park, a block outside the QPV)
        rings.append(ring(rng, lon, lat, radius_m * 0.2, 40)[::-1])
    return rings


def geometry(rng, lon, lat):
    radius = rng.uniform(150, 750)
    parts = 1 if rng.random() < 0.85 else rng.randint(2, 3)
    if parts == 1:
        return {"type": "Polygon", "coordinates": polygon(rng, lon, lat, radius)}
    offset = 3 * radius / METRES_PER_DEGREE
    return {
        "type": "MultiPolygon",
        "coordinates": [polygon(rng, lon + part * offset, lat, radius) for part in range(parts)],
    }


def synthetic_qpvs(rng, communes, count):
    features, centres = [], []
    for number, (insee_code, name, lat, lon) in enumerate(rng.sample(communes, count)):
        departement = insee_code[:2]
        code = f"QN0{departement}{number % 100:02d}{chr(65 + number % 26)}"
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code_qp": code,
                    "lib_qp": f"Quartier {number} de {name}",
                    "insee_dep": departement,
                    "insee_com": insee_code,
                    "lib_com": name,
                    "siren_epci": f"2{number:08d}",
                },
                "geometry": geometry(rng, lon, lat),
            }
        )
        centres.append((lat, lon))
    return features, centres


def unique_codes(features):
    """Synthetic codes may collide; renumber the collisions within the same pattern."""
    seen = set()
    for index, feature in enumerate(features):
        code = feature["properties"]["code_qp"]
        while code in seen:
            index += 1
            code = f"{code[:5]}{index % 100:02d}{chr(65 + (index // 100) % 26)}"
        seen.add(code)
        feature["properties"]["code_qp"] = code


def sample_points(rng, centres, count):
    points = []
    for _ in range(count):
        if rng.random() < 0.5:
            lat, lon = rng.choice(centres)
            spread = 800 / METRES_PER_DEGREE
            points.append((lat + rng.uniform(-spread, spread), lon + rng.uniform(-spread, spread)))
        else:
            points.append(
                (
                    rng.uniform(MAINLAND["min_lat"], MAINLAND["max_lat"]),
                    rng.uniform(MAINLAND["min_lon"], MAINLAND["max_lon"]),
                )
            )
    return points


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qpv", type=int, default=1600)
    parser.add_argument("--points", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    import django
    from django.conf import settings

    with tempfile.TemporaryDirectory() as folder:
        django.setup()
        database = settings.DATABASES["default"]
        if database["ENGINE"].endswith("sqlite3"):
            database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "bench.sqlite3")
        from django.db import connection

        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            run(args, Path(folder), connection.vendor)
        finally:
            connection.creation.destroy_test_db(database["NAME"], verbosity=0)


def run(args, folder, vendor):
    import shapely

    from tisserand.referentials.geo import qpv_index, services
    from tisserand.referentials.geo.loader import shipped_directory
    from tisserand.referentials.geo.models import Commune
    from tisserand.referentials.geo.qpv_import import import_qpv_file
    from tisserand.referentials.geo.territory import import_territory

    rng = random.Random(args.seed)
    started = time.perf_counter()
    import_territory(shipped_directory())
    territory_time = time.perf_counter() - started
    communes = list(
        Commune.objects.filter(
            is_former=False,
            latitude__range=(MAINLAND["min_lat"], MAINLAND["max_lat"]),
            longitude__range=(MAINLAND["min_lon"], MAINLAND["max_lon"]),
        )
        .exclude(insee_code__regex=r"^2[AB]")
        .order_by("insee_code")
        .values_list("insee_code", "name", "latitude", "longitude")
    )
    features, centres = synthetic_qpvs(rng, communes, args.qpv)
    unique_codes(features)
    path = folder / "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    vertices = sum(len(r) for f in features for r in _rings(f["geometry"]))

    started = time.perf_counter()
    import_qpv_file(path)
    import_time = time.perf_counter() - started
    started = time.perf_counter()
    index = qpv_index.current()
    build_time = time.perf_counter() - started

    points = sample_points(rng, centres, args.points)
    started = time.perf_counter()
    single = [services.qpv_at(lat, lon) for lat, lon in points]
    single_time = time.perf_counter() - started
    started = time.perf_counter()
    batch = []
    for start in range(0, len(points), 5000):
        batch.extend(services.qpvs_at(points[start : start + 5000]))
    batch_time = time.perf_counter() - started

    # Cross-check with brute force on a sample: every polygon, no index.
    geometries = index.geometries
    for lat, lon in rng.sample(points, 300):
        expected = [i for i, g in enumerate(geometries) if shapely.intersects_xy(g, lon, lat)]
        found = services.qpv_at(lat, lon)
        assert (index.qpvs[expected[0]].code if expected else None) == (
            found.code if found else None
        )
    assert [q.code if q else None for q in single] == [q.code if q else None for q in batch]

    inside = sum(1 for q in single if q is not None)
    size = path.stat().st_size / 1e6
    print(
        f"QPV synthétiques : {len(features)} quartiers, {vertices} sommets, GeoJSON {size:.1f} Mo"
    )
    print(f"base de données : {vendor}")
    print(f"  import des communes (data/geo)       : {territory_time:6.2f} s")
    print(f"  import_qpv (lecture + contrôle + base): {import_time:6.2f} s")
    print(f"  construction de l'index en mémoire   : {build_time:6.2f} s")
    print(
        f"  qpv_at, un point à la fois          : {_spaced(len(points) / single_time)} points/s "
        f"({len(points)} points, dont {inside} dans un QPV)"
    )
    print(f"  qpvs_at, par lots de 5 000          : {_spaced(len(points) / batch_time)} points/s")
    rate = len(points) / single_time
    print(f"  cible ≥ 5 000 points/s : {'atteinte' if rate >= 5000 else 'MANQUÉE'}")


def _spaced(number):
    return f"{number:9,.0f}".replace(",", " ")


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


if __name__ == "__main__":
    main()
