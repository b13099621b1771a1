"""Small territories for tests: a few communes around Roubaix, and QPV GeoJSON files."""

import json

from tisserand.referentials.geo.models import (
    BassinEmploi,
    Commune,
    Departement,
    Epci,
    PostalCode,
    Region,
)
from tisserand.referentials.geo.text import search_key

MEL_SIREN = "200093201"


def make_commune(insee_code, name, postal_codes=(), bassin=None, epci=None, lat=None, lon=None):
    region, _ = Region.objects.get_or_create(code="32", defaults={"name": "Hauts-de-France"})
    departement, _ = Departement.objects.get_or_create(
        code="59", defaults={"name": "Nord", "region": region}
    )
    commune = Commune.objects.create(
        insee_code=insee_code,
        name=name,
        search_name=search_key(name),
        departement=departement,
        bassin=bassin,
        epci=epci,
        latitude=lat,
        longitude=lon,
    )
    PostalCode.objects.bulk_create(PostalCode(commune=commune, code=c) for c in postal_codes)
    return commune


def make_roubaix_area():
    """Roubaix, Lys-lez-Lannoy and Lille, with their bassins and the MEL."""
    roubaix_tourcoing = BassinEmploi.objects.create(code="3217", name="Roubaix-Tourcoing")
    lille_bassin = BassinEmploi.objects.create(code="3216", name="Lille")
    mel = Epci.objects.create(siren=MEL_SIREN, name="Métropole Européenne de Lille")
    return {
        "roubaix": make_commune(
            "59512", "Roubaix", ["59100"], roubaix_tourcoing, mel, 50.6879774811, 3.18258434623
        ),
        "lys": make_commune(
            "59367", "Lys-lez-Lannoy", ["59390"], roubaix_tourcoing, mel, 50.6721775091, 3.2172
        ),
        "lille": make_commune(
            "59350", "Lille", ["59000", "59800"], lille_bassin, mel, 50.6317, 3.0478
        ),
    }


def square(lon, lat, half):
    """A closed ring: a square of half-side ``half`` degrees centred on (lon, lat)."""
    return [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]


def qpv_feature(code, name, insee_com, geometry, siren=MEL_SIREN, dep="59", **overrides):
    properties = {
        "code_qp": code,
        "lib_qp": name,
        "insee_dep": dep,
        "insee_com": insee_com,
        "lib_com": "Roubaix",
        "siren_epci": siren,
    }
    properties.update(overrides)
    return {"type": "Feature", "properties": properties, "geometry": geometry}


# Roubaix: a square with a hole in its middle.
ALMA = qpv_feature(
    "QN05912M",
    "Alma",
    "59512",
    {
        "type": "Polygon",
        "coordinates": [square(3.18, 50.69, 0.01), square(3.18, 50.69, 0.002)],
    },
)
# Lys-lez-Lannoy: two separate squares.
TROIS_BAUDETS = qpv_feature(
    "QN05934A",
    "Les Trois Baudets",
    "59367",
    {
        "type": "MultiPolygon",
        "coordinates": [[square(3.215, 50.67, 0.003)], [square(3.235, 50.67, 0.003)]],
    },
)


def geojson(features):
    return {
        "type": "FeatureCollection",
        "name": "QP2024_France_Hexagonale_Outre_Mer_WGS84",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }


def write_geojson(directory, features, name="QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"):
    path = directory / name
    path.write_text(json.dumps(geojson(features), indent=1, ensure_ascii=False), encoding="utf-8")
    return path
