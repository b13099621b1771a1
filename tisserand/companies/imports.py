"""Import of company records: the SIRENE establishment stock (CSV, filtered to a territory) and
the house's own template (CSV or XLSX).

Two steps. ``preview(data, …)`` reads and checks the whole file and says, line by line, what
would be created, updated, left unchanged, ignored (outside the territory, or closed and
unknown to the base) or rejected, with a French message naming the line and the field;
nothing is written. ``apply(preview, actor=)`` writes it in one transaction, in batches
(``bulk_create`` / ``bulk_update``, a bounded number of queries per thousand lines), with an
event on the timeline of every record created or changed. A file with a rejected line cannot
be applied: a rejected file writes nothing. Importing the same file again changes nothing
(every line « inchangé »).

A closed establishment (``etatAdministratifEtablissement`` = F) leaves the active lists; its
record and its history stay.
"""

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from tisserand.companies.lookup import WAY_TYPES
from tisserand.companies.models import (
    AdaptedKind,
    AdministrativeState,
    Diffusion,
    Establishment,
    GeocodingPrecision,
    HeadcountBand,
    InsertionKind,
    LegalUnit,
    Source,
)
from tisserand.companies.records_rules import is_valid_siret, normalise_siret
from tisserand.companies.selectors import forget_territories
from tisserand.core.models import TimelineEvent, TimelineMention
from tisserand.core.text import fold
from tisserand.referentials import uploads
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.rome.models import NafSubclass

SIRENE, TEMPLATE = "sirene", "template"
SIRENE_COLUMNS = (
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "etablissementSiege",
    "numeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "codeCommuneEtablissement",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
)
TEMPLATE_COLUMNS = (
    "siret",
    "denomination",
    "enseigne",
    "code_naf",
    "tranche_effectif",
    "adresse",
    "code_postal",
    "code_commune",
    "structure_insertion",
    "entreprise_adaptee",
    "geiq",
    "ess",
)
TEMPLATE_REQUIRED = ("siret", "denomination")
TEMPLATE_HELP = {
    "siret": "14 chiffres (obligatoire)",
    "denomination": "nom de l'entreprise (obligatoire)",
    "enseigne": "enseigne de l'établissement, si différente",
    "code_naf": "code NAF rév. 2, par exemple 62.01Z",
    "tranche_effectif": "tranche INSEE : 00, 01, 02, 03, 11, 12, 21… ou vide",
    "adresse": "numéro et voie",
    "code_postal": "5 chiffres",
    "code_commune": "code INSEE de la commune, par exemple 59512",
    "structure_insertion": "EI, ACI, AI, ETTI, EITI ou vide",
    "entreprise_adaptee": "EA, ESAT ou vide",
    "geiq": "oui ou non",
    "ess": "oui ou non",
}
TEMPLATE_EXAMPLE = {
    "siret": "73282932000074",
    "denomination": "Filature du Trichon",
    "enseigne": "",
    "code_naf": "13.10Z",
    "tranche_effectif": "12",
    "adresse": "12 rue du Trichon",
    "code_postal": "59100",
    "code_commune": "59512",
    "structure_insertion": "",
    "entreprise_adaptee": "",
    "geiq": "non",
    "ess": "non",
}
MAX_BYTES = 200 * 1024 * 1024
BATCH = 900  # below SQLite's 999 parameters per query
SHOWN_LINES = 200

CREATE, UPDATE, UNCHANGED, IGNORE, REJECT = "create", "update", "unchanged", "ignore", "reject"
ACTION_LABELS = {
    CREATE: "créé",
    UPDATE: "mis à jour",
    UNCHANGED: "inchangé",
    IGNORE: "ignoré",
    REJECT: "rejeté",
}
# The fields an import sets, compared with the stored record.
COMPARED = (
    "name",
    "naf_id",
    "headcount_band",
    "is_head_office",
    "created_on",
    "state",
    "diffusion",
    "address_line",
    "postal_code",
    "commune_id",
    "insertion_kind",
    "adapted_kind",
    "is_geiq",
    "is_social_economy",
)
FIELD_LABELS = {
    "name": "enseigne ou nom d'usage",
    "naf_id": "code NAF",
    "headcount_band": "tranche d'effectif",
    "is_head_office": "siège",
    "created_on": "date de création",
    "state": "état administratif",
    "diffusion": "diffusion",
    "address_line": "adresse",
    "postal_code": "code postal",
    "commune_id": "commune",
    "insertion_kind": "structure d'insertion (SIAE)",
    "adapted_kind": "entreprise adaptée ou ESAT",
    "is_geiq": "GEIQ",
    "is_social_economy": "économie sociale et solidaire",
}
HEADCOUNT_CODES = {choice.value for choice in HeadcountBand}
TRUE_WORDS = {"oui", "o", "true", "vrai", "1", "x"}
FALSE_WORDS = {"non", "n", "false", "faux", "0", ""}


class ImportRefused(Exception):
    """The whole file is refused (format, encoding, columns): a French message."""


@dataclass(frozen=True)
class Territory:
    """Which communes a SIRENE import keeps (None: every commune of the referential)."""

    label: str
    insee_codes: frozenset | None = None

    def keeps(self, insee_code):
        return self.insee_codes is None or insee_code in self.insee_codes


@dataclass
class Line:
    number: int
    siret: str
    action: str
    name: str = ""
    errors: list = field(default_factory=list)  # [(column, message)]
    changes: list = field(default_factory=list)  # [field label]
    values: dict | None = None
    legal_name: str = ""


@dataclass
class Preview:
    kind: str
    filename: str
    territory: Territory | None
    lines: list
    counts: dict

    @property
    def rejected(self):
        return [line for line in self.lines if line.action == REJECT]

    @property
    def can_apply(self):
        return self.counts[REJECT] == 0 and (self.counts[CREATE] + self.counts[UPDATE]) > 0

    def shown(self, action, limit=SHOWN_LINES):
        return [line for line in self.lines if line.action == action][:limit]

    @property
    def created_lines(self):
        return self.shown(CREATE, 20)

    @property
    def updated_lines(self):
        return self.shown(UPDATE, 20)

    def messages(self, limit=SHOWN_LINES):
        """« Ligne 4, colonne « siret » : … » for each rejected line (the first ones)."""
        return [
            f"Ligne {line.number}, colonne « {column} » : {message}"
            for line in self.rejected[:limit]
            for column, message in line.errors
        ]


# --- Reading the file -------------------------------------------------------------------------


def read_rows(data, filename):
    """(header, rows) of a CSV (UTF-8 or UTF-16, ``,``, ``;`` or tab) or XLSX file; rows are
    (line, dict)."""
    try:
        uploads.check_size(data, MAX_BYTES)
        header, rows = uploads.table(data, filename)
    except uploads.UnreadableFile as error:
        raise ImportRefused(str(error)) from None
    return header, [_as_dict(line, header, values) for line, values in rows]


def _as_dict(line, header, values):
    if len(values) != len(header):
        return line, {"__width__": f"{len(values)} valeurs au lieu de {len(header)}"}
    return line, {name: value.strip() for name, value in zip(header, values, strict=True)}


def _check_header(header, expected, required):
    if not any(header):
        raise ImportRefused("Le fichier est vide : la ligne d'en-tête manque.")
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRefused(
            "Ligne 1 : colonne obligatoire absente de l'en-tête : « "
            + "», « ".join(missing)
            + " » (colonnes attendues : "
            + ", ".join(expected)
            + ")."
        )


def detect_kind(header):
    if "nic" in header or any(name.endswith("Etablissement") for name in header):
        return SIRENE
    return TEMPLATE


# --- Checking the lines -----------------------------------------------------------------------


class Referential:
    """The NAF codes and communes the lines name, loaded once (two queries)."""

    def __init__(self):
        self.naf = dict(NafSubclass.objects.values_list("code", "pk"))
        self.communes = {
            code: (pk, lat, lon)
            for code, pk, lat, lon in Commune.objects.values_list(
                "insee_code", "pk", "latitude", "longitude"
            )
        }


def _siret(row, errors):
    siret = normalise_siret(row.get("siret", ""))
    if not siret:
        errors.append(("siret", "SIRET manquant."))
    elif not is_valid_siret(siret):
        errors.append(
            (
                "siret",
                f"SIRET « {row.get('siret')} » invalide : 14 chiffres et une clé de contrôle.",
            )
        )
    return siret


def _naf(code, column, referential, errors):
    code = (code or "").strip()
    if not code:
        return None
    key = code.replace(".", "").replace(" ", "").upper()
    pk = referential.naf.get(key)
    if pk is None:
        errors.append((column, f"code NAF « {code} » inconnu de la nomenclature NAF rév. 2."))
    return pk


def _band(code, column, errors):
    code = (code or "").strip().upper()
    if not code:
        return HeadcountBand.NONE.value
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    if code not in HEADCOUNT_CODES:
        errors.append((column, f"tranche d'effectif « {code} » inconnue (codes INSEE)."))
        return HeadcountBand.NONE.value
    return code


def _text(value, column, model_field, errors):
    limit = Establishment._meta.get_field(model_field).max_length
    if len(value) > limit:
        errors.append((column, f"{len(value)} caractères, {limit} au plus."))
        return value[:limit]
    return value


def _postal_code(value, column, errors):
    value = (value or "").strip()
    if value and (len(value) != 5 or not value.isdigit()):
        errors.append((column, f"code postal « {value} » invalide (5 chiffres)."))
        return ""
    return value


def _commune(code, column, referential, errors, required=False):
    code = (code or "").strip().upper()
    if not code:
        if required:
            errors.append((column, "code commune manquant."))
        return None
    found = referential.communes.get(code)
    if found is None:
        errors.append((column, f"commune « {code} » inconnue du référentiel des communes."))
    return found


def _boolean(value, column, errors):
    word = (value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.append((column, f"« {value} » : attendu oui ou non."))
    return False


def _date(value, column, errors):
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        errors.append((column, f"date « {value} » invalide (aaaa-mm-jj)."))
        return None
    if day > timezone.localdate():
        errors.append((column, f"date « {value} » dans le futur."))
    return day


def _place(commune):
    if commune is None:
        return {"commune_id": None, "latitude": None, "longitude": None, "geocoding_precision": ""}
    pk, lat, lon = commune
    located = lat is not None and lon is not None
    return {
        "commune_id": pk,
        "latitude": lat if located else None,
        "longitude": lon if located else None,
        "geocoding_precision": GeocodingPrecision.COMMUNE if located else "",
    }


def _sirene_line(number, row, referential, territory):
    errors = []
    if "__width__" in row:
        return Line(number, "", REJECT, errors=[("ligne", row["__width__"])])
    siret = _siret(row, errors)
    if siret and not errors:
        siren, nic = row.get("siren", "").strip(), row.get("nic", "").strip()
        if (siren and siren != siret[:9]) or (nic and nic != siret[9:]):
            errors.append(("siret", f"le SIRET {siret} ne correspond pas à siren + nic."))
    insee = row.get("codeCommuneEtablissement", "").strip().upper()
    if territory is not None and not territory.keeps(insee):
        return Line(number, siret, IGNORE, errors=[("codeCommuneEtablissement", "hors territoire")])
    state = row.get("etatAdministratifEtablissement", "").strip().upper()
    if state not in {"A", "F"}:
        errors.append(
            ("etatAdministratifEtablissement", f"état « {state} » inconnu (A ou F attendu).")
        )
    diffusion = row.get("statutDiffusionEtablissement", "").strip().upper() or "O"
    if diffusion not in {choice.value for choice in Diffusion}:
        errors.append(
            ("statutDiffusionEtablissement", f"statut « {diffusion} » inconnu (O, P ou N).")
        )
    head = row.get("etablissementSiege", "").strip().lower()
    if head not in {"true", "false", ""}:
        errors.append(("etablissementSiege", f"« {head} » : true ou false attendu."))
    way_type = row.get("typeVoieEtablissement", "").strip()
    street = " ".join(
        part
        for part in (
            row.get("numeroVoieEtablissement", "").strip(),
            WAY_TYPES.get(way_type.upper(), way_type.lower()),
            row.get("libelleVoieEtablissement", "").strip(),
        )
        if part
    )
    name = (
        row.get("enseigne1Etablissement", "").strip()
        or row.get("denominationUsuelleEtablissement", "").strip()
    )
    values = {
        "name": _text(name, "enseigne1Etablissement", "name", errors),
        "naf_id": _naf(
            row.get("activitePrincipaleEtablissement"),
            "activitePrincipaleEtablissement",
            referential,
            errors,
        ),
        "headcount_band": _band(
            row.get("trancheEffectifsEtablissement"), "trancheEffectifsEtablissement", errors
        ),
        "is_head_office": head == "true",
        "created_on": _date(
            row.get("dateCreationEtablissement"), "dateCreationEtablissement", errors
        ),
        "state": state,
        "diffusion": diffusion,
        "address_line": _text(street, "libelleVoieEtablissement", "address_line", errors),
        "postal_code": _postal_code(
            row.get("codePostalEtablissement"), "codePostalEtablissement", errors
        ),
    }
    commune = _commune(insee, "codeCommuneEtablissement", referential, errors, required=True)
    values.update(_place(commune))
    line = Line(number, siret, CREATE, name=name, values=values, legal_name="")
    line.errors = errors
    return line


def _choice(value, column, choices, errors):
    value = (value or "").strip().upper()
    if value and value not in {choice.value for choice in choices}:
        errors.append(
            (column, f"« {value} » inconnu ({', '.join(c.value for c in choices)} ou vide).")
        )
        return ""
    return value


def _template_line(number, row, referential, territory):
    errors = []
    if "__width__" in row:
        return Line(number, "", REJECT, errors=[("ligne", row["__width__"])])
    siret = _siret(row, errors)
    legal_name = row.get("denomination", "").strip()
    if not legal_name:
        errors.append(("denomination", "dénomination manquante."))
    if len(legal_name) > LegalUnit._meta.get_field("name").max_length:
        errors.append(("denomination", f"{len(legal_name)} caractères, 250 au plus."))
    name = row.get("enseigne", "").strip()
    values = {
        "name": _text(name, "enseigne", "name", errors),
        "naf_id": _naf(row.get("code_naf"), "code_naf", referential, errors),
        "headcount_band": _band(row.get("tranche_effectif"), "tranche_effectif", errors),
        "address_line": _text(row.get("adresse", "").strip(), "adresse", "address_line", errors),
        "postal_code": _postal_code(row.get("code_postal"), "code_postal", errors),
        "insertion_kind": _choice(
            row.get("structure_insertion"), "structure_insertion", InsertionKind, errors
        ),
        "adapted_kind": _choice(
            row.get("entreprise_adaptee"), "entreprise_adaptee", AdaptedKind, errors
        ),
        "is_geiq": _boolean(row.get("geiq"), "geiq", errors),
        "is_social_economy": _boolean(row.get("ess"), "ess", errors),
    }
    commune = _commune(row.get("code_commune"), "code_commune", referential, errors)
    values.update(_place(commune))
    # What the template leaves empty does not change a stored record.
    for column, key in (("code_naf", "naf_id"), ("tranche_effectif", "headcount_band")):
        if not (row.get(column) or "").strip():
            values.pop(key)
    if not (row.get("code_commune") or "").strip():
        for key in ("commune_id", "latitude", "longitude", "geocoding_precision"):
            values.pop(key)
    line = Line(number, siret, CREATE, name=name or legal_name, values=values)
    line.legal_name = legal_name
    line.errors = errors
    return line


def preview(data, filename="", *, kind=None, territory=None):
    """What importing ``data`` would do, line by line; writes nothing."""
    header, rows = read_rows(data, filename)
    kind = kind or detect_kind(header)
    if kind == SIRENE:
        _check_header(header, SIRENE_COLUMNS, SIRENE_COLUMNS)
        check = _sirene_line
    else:
        _check_header(header, TEMPLATE_COLUMNS, TEMPLATE_REQUIRED)
        check = _template_line
        territory = None
    if not rows:
        raise ImportRefused("Le fichier n'a aucune ligne après l'en-tête.")
    referential = Referential()
    lines = [check(number, row, referential, territory) for number, row in rows]
    _mark_duplicates(lines)
    for line in lines:
        if line.errors and line.action != IGNORE:
            line.action = REJECT
    _compare(lines, kind)
    counts = dict.fromkeys(ACTION_LABELS, 0)
    for line in lines:
        counts[line.action] += 1
    return Preview(kind, filename, territory, lines, counts)


def _mark_duplicates(lines):
    first = {}
    for line in lines:
        if line.action == IGNORE or not line.siret:
            continue
        if line.siret in first:
            already = first[line.siret]
            message = f"SIRET {line.siret} en double dans le fichier (déjà ligne {already})."
            line.errors.append(("siret", message))
        else:
            first[line.siret] = line.number


def _stored(sirets):
    """The stored records of ``sirets``, by SIRET (one query per batch of 900)."""
    found = {}
    sirets = list(sirets)
    for start in range(0, len(sirets), BATCH):
        for row in Establishment.objects.filter(siret__in=sirets[start : start + BATCH]).values(
            "pk", "siret", "legal_unit__name", *COMPARED
        ):
            found[row["siret"]] = row
    return found


def _compare(lines, kind):
    candidates = [line for line in lines if line.action == CREATE]
    stored = _stored(line.siret for line in candidates)
    for line in candidates:
        row = stored.get(line.siret)
        if row is None:
            if kind == SIRENE and line.values["state"] == AdministrativeState.CLOSED:
                line.action = IGNORE
                line.errors = [("etatAdministratifEtablissement", "fermé, inconnu de la base")]
            continue
        line.values["pk"] = row["pk"]
        line.values["__stored__"] = row
        changed = [key for key in COMPARED if key in line.values and line.values[key] != row[key]]
        if line.legal_name and line.legal_name != row["legal_unit__name"]:
            changed.append("legal_name")
        line.changes = [FIELD_LABELS.get(key, "dénomination") for key in changed]
        line.action = UPDATE if changed else UNCHANGED
        line.values["__changed__"] = changed


# --- Writing ----------------------------------------------------------------------------------


def _search_name(name, legal_name, is_individual_hidden=False):
    if is_individual_hidden:
        return ""
    return " ".join(dict.fromkeys(fold(n) for n in (name, legal_name) if n))[:500]


@transaction.atomic
def apply(result, *, actor):
    """Writes a preview that has no rejected line; returns the counts written."""
    if result.counts[REJECT]:
        raise ImportRefused("Le fichier a des lignes rejetées : corrigez-les, rien n'est importé.")
    source = Source.SIRENE if result.kind == SIRENE else Source.TEMPLATE
    to_create = [line for line in result.lines if line.action == CREATE]
    to_update = [line for line in result.lines if line.action == UPDATE]
    units = _legal_units(to_create + to_update)
    created = _create(to_create, units, source)
    updated = _update(to_update, units)
    _record(created, updated, to_update, actor, source)
    forget_territories()
    return {"created": len(created), "updated": len(updated)}


@dataclass(frozen=True)
class Unit:
    pk: int
    name: str
    is_individual: bool


def _units_of(sirens):
    units = {}
    for start in range(0, len(sirens), BATCH):
        for siren, pk, name, individual in LegalUnit.objects.filter(
            siren__in=sirens[start : start + BATCH]
        ).values_list("siren", "pk", "name", "is_individual"):
            units[siren] = Unit(pk, name, individual)
    return units


def _legal_units(lines):
    """The legal units of the lines' SIRENs (``Unit`` by SIREN): the missing ones created,
    the renamed ones renamed (batches)."""
    names = {}
    for line in lines:
        names.setdefault(line.siret[:9], line.legal_name or line.name)
    sirens = list(names)
    units = _units_of(sirens)
    missing = [{"siren": siren, "name": names[siren]} for siren in sirens if siren not in units]
    if missing:
        insert_rows(LegalUnit, missing)
        units.update(_units_of([row["siren"] for row in missing]))
    renamed = {}
    for line in lines:
        unit = units[line.siret[:9]]
        if line.legal_name and unit.name != line.legal_name:
            renamed[unit.pk] = LegalUnit(pk=unit.pk, name=line.legal_name, updated_at=_now())
            units[line.siret[:9]] = Unit(unit.pk, line.legal_name, unit.is_individual)
    LegalUnit.objects.bulk_update(list(renamed.values()), ["name", "updated_at"], batch_size=BATCH)
    return units


def _now():
    return timezone.now()


PREPARED_TYPES = {"UUIDField", "DateField", "DateTimeField", "DecimalField", "JSONField"}


def _default_of(field, now):
    """What a row without a value for ``field`` gets, as a function of nothing."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return partial(_same, now)
    if field.has_default() and callable(field.default):
        return field.default
    return partial(_same, field.get_default())


def _same(value):
    return value


def insert_rows(model, rows, batch=BATCH):
    """Inserts ``rows`` (dicts of attribute names) with one ``executemany`` per batch, the
    fields' defaults filled in: ``bulk_create`` builds and prepares a model instance per row,
    several times slower for tens of thousands of rows."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    makers = [
        (f.attname, f.get_internal_type() in PREPARED_TYPES, f, _default_of(f, now)) for f in fields
    ]
    params = []
    for row in rows:
        values = []
        for attname, prepare, model_field, default in makers:
            value = row[attname] if attname in row else default()
            values.append(model_field.get_db_prep_save(value, connection) if prepare else value)
        params.append(values)
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch):
            cursor.executemany(sql, params[start : start + batch])


def _fields(values):
    return {key: value for key, value in values.items() if not key.startswith("__") and key != "pk"}


@dataclass(frozen=True)
class Created:
    pk: int
    siret: str


def _create(lines, units, source):
    rows = []
    for line in lines:
        unit = units[line.siret[:9]]
        row = {"siret": line.siret, "legal_unit_id": unit.pk, "source": source}
        row.update(_fields(line.values))
        row["search_name"] = _search_name(
            row.get("name", ""),
            unit.name,
            unit.is_individual and row.get("diffusion", Diffusion.PUBLIC) != Diffusion.PUBLIC,
        )
        rows.append(row)
    insert_rows(Establishment, rows)
    stored = _stored(line.siret for line in lines)
    return [Created(stored[line.siret]["pk"], line.siret) for line in lines]


def _update(lines, units):
    rows, fields = [], set()
    for line in lines:
        values = _fields(line.values)
        unit = units[line.siret[:9]]
        establishment = Establishment(pk=line.values["pk"], siret=line.siret, legal_unit_id=unit.pk)
        stored = line.values["__stored__"]
        for key in COMPARED:
            setattr(establishment, key, stored[key])
        for key, value in values.items():
            setattr(establishment, key, value)
        establishment.search_name = _search_name(
            establishment.name,
            unit.name,
            unit.is_individual and establishment.diffusion != Diffusion.PUBLIC,
        )
        establishment.updated_at = timezone.now()
        if values.get("state") == AdministrativeState.ACTIVE:
            establishment.closed_on = None
            fields.add("closed_on")
        fields.update(values)
        rows.append(establishment)
    fields.update({"search_name", "updated_at"})
    if "commune_id" in fields:
        fields.discard("commune_id")
        fields.add("commune")
    if "naf_id" in fields:
        fields.discard("naf_id")
        fields.add("naf")
    if rows:
        Establishment.objects.bulk_update(rows, sorted(fields), batch_size=BATCH)
    return rows


def _record(created, updated, update_lines, actor, source):
    """One event per record created or changed, on its timeline (``TimelineEvent`` and its
    mention, as ``core.timeline.bulk_record`` writes them), inserted in batches."""
    label = "stock SIRENE" if source == Source.SIRENE else "modèle d'import"
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    common = {
        "subject_type_id": _content_type().pk,
        "actor_id": user.pk if user else None,
        "actor_structure_id": actor.structure.pk if actor.structure is not None else None,
        "occurred_at": timezone.now(),
    }
    events = [
        {
            **common,
            "public_id": uuid.uuid4(),
            "subject_id": str(establishment.pk),
            "verb": TimelineEvent.Verb.CREATED,
            "summary": f"Fiche entreprise créée par import ({label})",
            "changes": [],
        }
        for establishment in created
    ]
    for establishment, line in zip(updated, update_lines, strict=True):
        closed = "state" in line.values["__changed__"] and establishment.state == "F"
        summary = (
            f"Établissement fermé (import {label})"
            if closed
            else f"Mis à jour par import ({label}) : " + ", ".join(line.changes)
        )
        events.append(
            {
                **common,
                "public_id": uuid.uuid4(),
                "subject_id": str(establishment.pk),
                "verb": TimelineEvent.Verb.CHANGED,
                "summary": summary[:300],
                "changes": [{"field": c, "before": "—", "after": "importé"} for c in line.changes],
            }
        )
    insert_rows(TimelineEvent, events)
    ids = {}
    public_ids = [event["public_id"] for event in events]
    for start in range(0, len(public_ids), BATCH):
        ids.update(
            TimelineEvent.objects.filter(
                public_id__in=public_ids[start : start + BATCH]
            ).values_list("public_id", "pk")
        )
    insert_rows(
        TimelineMention,
        [
            {
                "event_id": ids[event["public_id"]],
                "content_type_id": event["subject_type_id"],
                "object_id": event["subject_id"],
                "occurred_at": event["occurred_at"],
            }
            for event in events
        ],
    )


def _content_type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Establishment)


# --- Territories and the template -------------------------------------------------------------


def territory_of(*, communes=(), bassin=None, epci=None):
    """The territory a SIRENE import keeps: chosen communes, a bassin or an EPCI."""
    if communes:
        codes = frozenset(commune.insee_code for commune in communes)
        return Territory(", ".join(commune.name for commune in communes), codes)
    if bassin is not None:
        codes = frozenset(bassin.communes.values_list("insee_code", flat=True))
        return Territory(f"bassin d'emploi {bassin.name}", codes)
    if epci is not None:
        codes = frozenset(epci.communes.values_list("insee_code", flat=True))
        return Territory(epci.label, codes)
    return None


def template_xlsx():
    """The house's template: the columns, an example line, and a sheet that explains them."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Entreprises"
    sheet.append(list(TEMPLATE_COLUMNS))
    sheet.append([TEMPLATE_EXAMPLE[column] for column in TEMPLATE_COLUMNS])
    help_sheet = workbook.create_sheet("Aide")
    help_sheet.append(["colonne", "contenu"])
    for column in TEMPLATE_COLUMNS:
        help_sheet.append([column, TEMPLATE_HELP[column]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow([TEMPLATE_EXAMPLE[column] for column in TEMPLATE_COLUMNS])
    return buffer.getvalue().encode("utf-8")
