"""Import of the priority neighbourhoods (QPV) from the official 2024 GeoJSON.

The file is ``QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson`` (ANCT, via data.gouv.fr): a
FeatureCollection whose features carry ``code_qp, lib_qp, insee_dep, insee_com, lib_com,
siren_epci`` and a WGS84 Polygon or MultiPolygon. The whole file is checked before anything is
written; then the list replaces the previous one in one transaction.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.db import transaction
from shapely.geometry import shape

from tisserand.referentials.geo import cog, qpv_index
from tisserand.referentials.geo.files import ImportFailed, decode, read_bytes
from tisserand.referentials.geo.models import Commune, Epci, Qpv, QpvImport
from tisserand.referentials.geo.syncing import sync_by_key
from tisserand.referentials.lengths import field_of, length_problem

PROPERTIES = ("code_qp", "lib_qp", "insee_dep", "insee_com", "lib_com", "siren_epci")
OPTIONAL_PROPERTIES = {"siren_epci", "lib_com"}
QPV_CODE = re.compile(r"^QN[0-9]{2}[0-9AB][0-9]{2}[A-Z]$")
QPV_2015_CODE = re.compile(r"^QP[0-9]{6}$")
GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}
QPV_NAME = field_of(Qpv, "name")
NO_AREA = (
    "contour sans surface (points alignés ou confondus) : aucune adresse ne pourrait s'y trouver."
)
# The messages of the json module, in French (the position is given apart).
JSON_PROBLEMS = {
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": (
        "nom de propriété entre guillemets attendu"
    ),
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendu",
    "Unterminated string starting at": "texte entre guillemets non terminé",
    "Invalid control character at": "caractère de contrôle interdit dans un texte",
    "Invalid \\escape": "séquence d'échappement (\\) invalide",
    "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
    "Extra data": "contenu après la fin du document",
}
_feature_start = re.compile(r'"type"\s*:\s*"Feature"')
_code_separators = re.compile(r"[\s,;/|]+")


@dataclass
class QpvData:
    code: str
    name: str
    departement_code: str
    commune_codes: list
    epci_siren: str
    geometry: object  # shapely (Multi)Polygon
    repaired: bool = False  # the file's outline was invalid (crossed itself…) and was mended


class FeatureReader:
    """Checks one feature after another, naming the line where each starts."""

    def __init__(self, filename, text):
        self.filename = filename
        self.feature_lines = list(_line_numbers(text, _feature_start.finditer(text)))

    def fail(self, index, message, column=None):
        line = self.feature_lines[index] if index < len(self.feature_lines) else None
        return ImportFailed(
            self.filename, f"entité n° {index + 1} : {message}", line, column, "propriété"
        )

    def read(self, index, feature):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise self.fail(index, "ce n'est pas une entité GeoJSON (« type »: « Feature »).")
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            raise self.fail(index, "l'entité n'a pas de propriétés.", "properties")
        for name in PROPERTIES:
            if name not in properties and name not in OPTIONAL_PROPERTIES:
                raise self.fail(index, "propriété obligatoire absente.", name)
        geometry, repaired = self._geometry(index, feature.get("geometry"))
        return QpvData(
            code=self._code(index, properties),
            name=self._name(index, properties),
            departement_code=self._departement(index, properties),
            commune_codes=self._communes(index, properties),
            epci_siren=self._siren(index, properties),
            geometry=geometry,
            repaired=repaired,
        )

    def _text(self, index, properties, name):
        value = properties.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(index, "valeur vide ou qui n'est pas du texte.", name)
        return value.strip()

    def _name(self, index, properties):
        name = self._text(index, properties, "lib_qp")
        problem = length_problem(name, QPV_NAME)
        if problem:
            raise self.fail(index, problem, "lib_qp")
        return name

    def _code(self, index, properties):
        code = self._text(index, properties, "code_qp").upper()
        if QPV_2015_CODE.match(code):
            raise self.fail(
                index,
                f"« {code} » est un code de la liste 2015 ; ce fichier doit être celui de 2024 "
                "(codes QN + département sur 3 caractères + 2 chiffres + 1 lettre).",
                "code_qp",
            )
        if not QPV_CODE.match(code):
            raise self.fail(
                index, f"code « {code} » invalide (attendu : QN04901M, 8 caractères).", "code_qp"
            )
        return code

    def _departement(self, index, properties):
        value = self._text(index, properties, "insee_dep").upper()
        if not re.match(cog.DEPARTEMENT_CODE_PATTERN, value):
            raise self.fail(index, f"code de département « {value} » invalide.", "insee_dep")
        return value

    def _communes(self, index, properties):
        codes = [
            c.upper() for c in _code_separators.split(self._text(index, properties, "insee_com"))
        ]
        codes = [code for code in codes if code]
        for code in codes:
            if not cog.is_insee_code(code):
                raise self.fail(index, f"code INSEE « {code} » invalide.", "insee_com")
        return codes

    def _siren(self, index, properties):
        value = properties.get("siren_epci")
        if value in (None, ""):
            return ""
        value = str(value).strip()
        if not re.match(cog.SIREN_PATTERN, value):
            raise self.fail(index, f"SIREN « {value} » invalide (9 chiffres).", "siren_epci")
        return value

    def _geometry(self, index, geometry):
        if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
            kind = geometry.get("type") if isinstance(geometry, dict) else geometry
            raise self.fail(
                index, f"géométrie « {kind} » : Polygon ou MultiPolygon attendu.", "geometry"
            )
        try:
            polygon = shape(geometry)
        except (
            ValueError,
            TypeError,
            AttributeError,
            IndexError,
            KeyError,
            shapely.errors.ShapelyError,
        ):
            raise self.fail(index, "coordonnées de la géométrie illisibles.", "geometry") from None
        if polygon.is_empty:
            raise self.fail(index, "géométrie vide.", "geometry")
        min_lon, min_lat, max_lon, max_lat = polygon.bounds
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise self.fail(
                index,
                "coordonnées hors des limites WGS84 (longitude, latitude en degrés) : "
                "le fichier est-il en Lambert-93 ? Utilisez la version « WGS84 ».",
                "geometry",
            )
        if polygon.is_valid:
            return polygon, False
        repaired = _polygonal_part(shapely.make_valid(polygon))
        if repaired.is_empty or repaired.area == 0:
            raise self.fail(index, NO_AREA, "geometry")
        return repaired, True


def _polygonal_part(geometry):
    """The polygons of a repaired geometry (the repair may leave lines or points beside)."""
    polygons = [
        part
        for part in shapely.get_parts(geometry)
        if part.geom_type in GEOMETRY_TYPES and not part.is_empty
    ]
    return shapely.unary_union(polygons) if polygons else shapely.Polygon()


def _line_numbers(text, matches):
    """The line of each match, counting newlines once through the text."""
    line, position = 1, 0
    for match in matches:
        line += text.count("\n", position, match.start())
        position = match.start()
        yield line


def read_qpv_file(path, encoding="utf-8"):
    """The QPV of the file, all checked; raises ``ImportFailed`` at the first problem."""
    filename = Path(path).name
    text = decode(read_bytes(path), filename, encoding)
    if not text.strip():
        raise ImportFailed(filename, "fichier vide.")
    document = _parse_json(filename, text)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportFailed(filename, "GeoJSON attendu : un objet « FeatureCollection ».", line=1)
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise ImportFailed(filename, "aucune entité (« features » vide ou absent).", line=1)
    reader = FeatureReader(filename, text)
    qpvs, seen = [], {}
    for index, feature in enumerate(features):
        qpv = reader.read(index, feature)
        if qpv.code in seen:
            raise reader.fail(index, f"code {qpv.code} déjà présent (entité n° {seen[qpv.code]}).")
        seen[qpv.code] = index + 1
        qpvs.append(qpv)
    return qpvs


def _parse_json(filename, text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        problem = JSON_PROBLEMS.get(error.msg, "syntaxe incorrecte")
        raise ImportFailed(
            filename, f"JSON invalide ({problem}) ; fichier tronqué ?", error.lineno, error.colno
        ) from None
    except RecursionError:
        raise ImportFailed(
            filename, "JSON invalide : imbrication trop profonde de crochets ou d'accolades."
        ) from None
    except ValueError:
        raise ImportFailed(
            filename, "JSON invalide : nombre trop long (plus de 4 300 chiffres)."
        ) from None


def save_qpvs(qpvs, source):
    """Replaces the QPV list by ``qpvs`` in one transaction; returns the ``QpvImport``."""
    filename = Path(str(source)).name
    commune_ids = _commune_ids(qpvs, filename)
    with transaction.atomic():
        record = QpvImport.objects.create(
            source=str(source)[:500],
            qpv_count=len(qpvs),
            repaired_codes=[qpv.code for qpv in qpvs if qpv.repaired],
        )
        epcis = sync_by_key(Epci, "siren", {q.epci_siren: {} for q in qpvs if q.epci_siren})
        qpv_ids = sync_by_key(Qpv, "code", {qpv.code: _fields(qpv, record, epcis) for qpv in qpvs})
        Qpv.objects.exclude(source=record).delete()
        _link_communes(qpvs, qpv_ids, commune_ids)
        _set_missing_epcis(qpvs, commune_ids, epcis)
    return record


def _fields(qpv, record, epcis):
    min_lon, min_lat, max_lon, max_lat = qpv.geometry.bounds
    return {
        "name": qpv.name,
        "departement_code": qpv.departement_code,
        "epci_id": epcis.get(qpv.epci_siren),
        "geometry": shapely.to_wkb(qpv.geometry),
        "min_longitude": min_lon,
        "min_latitude": min_lat,
        "max_longitude": max_lon,
        "max_latitude": max_lat,
        "source_id": record.pk,
    }


def _commune_ids(qpvs, filename):
    wanted = {code for qpv in qpvs for code in qpv.commune_codes}
    known = dict(Commune.objects.values_list("insee_code", "pk"))
    missing = sorted(wanted - known.keys())
    if missing and not known:
        raise ImportFailed(
            filename, "aucune commune en base : importez d'abord les communes (import_geo)."
        )
    if missing:
        qpv = next(q for q in qpvs if missing[0] in q.commune_codes)
        raise ImportFailed(
            filename,
            f"QPV {qpv.code} : commune {missing[0]} inconnue du référentiel des communes.",
            column="insee_com",
            column_word="propriété",
        )
    return known


def _link_communes(qpvs, qpv_ids, commune_ids):
    through = Qpv.communes.through
    through.objects.filter(qpv_id__in=[qpv_ids[q.code] for q in qpvs]).delete()
    through.objects.bulk_create(
        [
            through(qpv_id=qpv_ids[qpv.code], commune_id=commune_ids[code])
            for qpv in qpvs
            for code in dict.fromkeys(qpv.commune_codes)
        ],
        batch_size=1000,
    )


def _set_missing_epcis(qpvs, commune_ids, epcis):
    """The QPV file tells the EPCI of the communes that have a QPV; keep what is known."""
    communes_by_siren = defaultdict(set)
    for qpv in qpvs:
        if qpv.epci_siren:
            communes_by_siren[qpv.epci_siren].update(commune_ids[c] for c in qpv.commune_codes)
    for siren, ids in communes_by_siren.items():
        Commune.objects.filter(pk__in=sorted(ids), epci__isnull=True).update(epci_id=epcis[siren])


def import_qpv_file(path, encoding="utf-8"):
    qpvs = read_qpv_file(path, encoding)
    record = save_qpvs(qpvs, path)
    qpv_index.invalidate()
    return record
