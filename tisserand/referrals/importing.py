"""Import of structures and services from data·inclusion files (its JSON and CSV exports).

A file holds structures or services (data·inclusion publishes them apart: ``structures.json``,
``services.csv``…), or both in one JSON object ``{"structures": [...], "services": [...]}``.
The whole file is read and checked first (``read``): each problem is a French message naming
the line (CSV: the line of the file; JSON: the element's position) and the field. A file with
one problem writes nothing. ``apply`` writes a checked file in one transaction; records are
keyed by ``(source, id)``, so importing the same file again changes nothing (the content hash
of each record tells an update from an unchanged record).
"""

import hashlib
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from tisserand.core.validators import normalise_phone, validate_siret
from tisserand.referentials import uploads
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.lengths import field_of, length_problem
from tisserand.referrals import zones
from tisserand.referrals.models import (
    DirectoryStructure,
    Fees,
    MobilisationMode,
    Public,
    Service,
    ServiceThematic,
    ServiceZone,
    Thematic,
)
from tisserand.referrals.services import publics_key, search_text
from tisserand.structures.models import Structure

MAX_BYTES = 20 * uploads.MEGABYTE
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POSTAL = re.compile(r"^\d{5}$")
RECEPTION = {"en-presentiel": "on_site", "a-distance": "remote"}
MOBILISERS = {"professionnels": "by_professionals", "usagers": "by_residents"}


class ImportRefused(ValueError):
    pass


@dataclass
class Record:
    kind: str  # "structure" or "service"
    where: str  # « ligne 3 » / « élément 3 »
    raw: dict
    values: dict = field(default_factory=dict)
    thematics: list = field(default_factory=list)
    zones: list = field(default_factory=list)
    structure_key: tuple | None = None
    status: str = ""  # created, updated, unchanged

    @property
    def key(self):
        return (self.values["source"], self.values["source_id"])


@dataclass
class Plan:
    records: list
    errors: list

    @property
    def ok(self):
        return not self.errors

    def count(self, kind, status):
        return sum(1 for r in self.records if r.kind == kind and r.status == status)

    def summary(self):
        return {
            f"{kind}_{status}": self.count(kind, status)
            for kind in ("structure", "service")
            for status in ("created", "updated", "unchanged")
        }


# --- Reading -----------------------------------------------------------------------------------


def _records_of_json(text):
    with _refusing():
        data = uploads.load_json(text)
    if isinstance(data, dict) and ("structures" in data or "services" in data):
        parts = [
            ("structure", data.get("structures") or []),
            ("service", data.get("services") or []),
        ]
    elif isinstance(data, list):
        kind = (
            "service"
            if data and all(isinstance(item, dict) and "structure_id" in item for item in data)
            else "structure"
        )
        parts = [(kind, data)]
    else:
        raise ImportRefused(
            "Le fichier JSON doit contenir une liste de structures ou de services data·inclusion."
        )
    records = []
    for kind, items in parts:
        if not isinstance(items, list):
            raise ImportRefused(f"« {kind}s » doit être une liste.")
        for position, item in enumerate(items, start=1):
            where = f"{'structure' if kind == 'structure' else 'service'} n° {position}"
            if not isinstance(item, dict):
                records.append(Record(kind, where, {"__invalid__": True}))
                continue
            records.append(Record(kind, where, item))
    return records


def _split_list(value):
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    text = str(value).strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            parsed = None
        if isinstance(parsed, list):
            return [str(item).strip() for item in parsed if str(item).strip()]
    return [part.strip().strip("\"'") for part in re.split(r"[,;|]", text) if part.strip()]


def _records_of_csv(text):
    with _refusing():
        header, rows = uploads.csv_table(text)
    if "id" not in header or "source" not in header:
        raise ImportRefused(
            "En-tête CSV incomplet : les colonnes « source » et « id » du schéma "
            "data·inclusion sont obligatoires (ligne 1)."
        )
    kind = "service" if "structure_id" in header else "structure"
    records = []
    for line, values in rows:
        if len(values) > len(header):
            records.append(Record(kind, f"ligne {line}", {"__columns__": True}))
            continue
        values = values + [""] * (len(header) - len(values))
        records.append(Record(kind, f"ligne {line}", dict(zip(header, values, strict=True))))
    return records


@contextmanager
def _refusing():
    try:
        yield
    except uploads.UnreadableFile as error:
        raise ImportRefused(str(error)) from None


def text_of(content):
    if isinstance(content, bytes):
        with _refusing():
            uploads.check_size(content, MAX_BYTES)
            return uploads.decode(content)
    return content.lstrip("\ufeff")


def parse_records(content, file_name=""):
    text = text_of(content)
    if not text.strip():
        raise ImportRefused("Le fichier est vide.")
    looks_json = file_name.lower().endswith(".json") or text.lstrip()[:1] in "[{"
    records = _records_of_json(text) if looks_json else _records_of_csv(text)
    if not records:
        raise ImportRefused("Le fichier ne contient aucune structure ni aucun service.")
    return records


# --- Checking ----------------------------------------------------------------------------------


class _Problems:
    def __init__(self):
        self.messages = []

    def add(self, record, name, message):
        self.messages.append(f"{record.where}, champ « {name} » : {message}")


def _text(record, problems, name, model, field_name, *, required=False, minimum=0):
    value = record.raw.get(name)
    if isinstance(value, list | dict | bool):
        problems.add(record, name, "un texte est attendu, pas une liste, un objet ou un booléen.")
        return ""
    value = "" if value is None else str(value).strip()
    if required and not value:
        problems.add(record, name, "valeur obligatoire manquante.")
        return value
    if value and minimum and len(value) < minimum:
        problems.add(record, name, f"{minimum} caractères au moins.")
    problem = length_problem(value, field_of(model, field_name))
    if problem:
        problems.add(record, name, problem)
    return value


def _date(record, problems, name):
    value = str(record.raw.get(name) or "").strip()
    if not value:
        problems.add(record, name, "date de mise à jour obligatoire (AAAA-MM-JJ).")
        return None
    try:
        if not DATE.match(value[:10]):
            raise ValueError
        return date.fromisoformat(value[:10])
    except ValueError:
        problems.add(record, name, f"« {value} » n'est pas une date AAAA-MM-JJ.")
        return None


def _float(record, problems, name, low, high):
    value = record.raw.get(name)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.add(record, name, f"« {value} » n'est pas un nombre.")
        return None
    if not low <= number <= high:
        problems.add(record, name, f"{number} hors des valeurs possibles ({low} à {high}).")
        return None
    return number


def _contact(record, problems, values, model):
    email = str(record.raw.get("courriel") or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            problems.add(record, "courriel", f"« {email} » n'est pas une adresse e-mail.")
    values["email"] = email
    phone = str(record.raw.get("telephone") or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError:
            problems.add(record, "telephone", f"« {phone} » n'est pas un numéro de téléphone.")
            phone = ""
    values["phone"] = phone


def _place(record, problems, values, communes):
    code = str(record.raw.get("code_insee") or "").strip().upper()
    values["commune_id"] = None
    if code:
        if code not in communes:
            problems.add(
                record, "code_insee", f"« {code} » n'est pas un code INSEE de commune connu."
            )
        else:
            values["commune_id"] = communes[code]
    postal = str(record.raw.get("code_postal") or "").strip()
    if postal and not POSTAL.match(postal):
        problems.add(record, "code_postal", f"« {postal} » : 5 chiffres attendus.")
    values["postal_code"] = postal if POSTAL.match(postal) else ""
    values["latitude"] = _float(record, problems, "latitude", -90, 90)
    values["longitude"] = _float(record, problems, "longitude", -180, 180)


def _url(record, problems, name):
    value = str(record.raw.get(name) or "").strip()
    if value:
        try:
            URLValidator()(value)
        except ValidationError:
            problems.add(record, name, f"« {value} » n'est pas une adresse web.")
            return ""
    return value


def _check_structure(record, problems, communes):
    model = DirectoryStructure
    values = record.values
    values["source"] = _text(record, problems, "source", model, "source", required=True)
    values["source_id"] = _text(record, problems, "id", model, "source_id", required=True)
    values["name"] = _text(record, problems, "nom", model, "name", required=True, minimum=3)
    values["description"] = str(record.raw.get("description") or "").strip()
    values["updated_on"] = _date(record, problems, "date_maj")
    siret = re.sub(r"\s", "", str(record.raw.get("siret") or ""))
    if siret:
        try:
            validate_siret(siret)
        except ValidationError as error:
            problems.add(record, "siret", f"« {siret} » : {error.messages[0]}")
    values["siret"] = siret
    values["address_line"] = _text(record, problems, "adresse", model, "address_line")
    values["website"] = _url(record, problems, "site_web")
    values["opening_hours"] = _text(record, problems, "horaires_accueil", model, "opening_hours")
    _place(record, problems, values, communes)
    _contact(record, problems, values, model)


def _choices(record, problems, name, allowed, label):
    codes = _split_list(record.raw.get(name))
    wrong = [code for code in codes if code not in allowed]
    for code in wrong:
        problems.add(record, name, f"« {code} » n'est pas {label} du schéma data·inclusion.")
    return [code for code in codes if code in allowed]


def _check_service(record, problems, communes, thematics, known_zones):
    model = Service
    values = record.values
    values["source"] = _text(record, problems, "source", model, "source", required=True)
    values["source_id"] = _text(record, problems, "id", model, "source_id", required=True)
    structure_id = str(record.raw.get("structure_id") or "").strip()
    if not structure_id:
        problems.add(record, "structure_id", "valeur obligatoire manquante.")
    record.structure_key = (values["source"], structure_id)
    values["name"] = _text(record, problems, "nom", model, "name", required=True, minimum=3)
    description = str(
        record.raw.get("description")
        or record.raw.get("presentation_detail")
        or record.raw.get("presentation_resume")
        or ""
    ).strip()
    if not description:
        problems.add(record, "description", "valeur obligatoire manquante.")
    values["description"] = description
    values["updated_on"] = _date(record, problems, "date_maj")
    codes = _split_list(record.raw.get("thematiques"))
    if not codes:
        problems.add(record, "thematiques", "au moins une thématique est obligatoire.")
    for code in codes:
        if code not in thematics:
            problems.add(
                record, "thematiques", f"« {code} » n'est pas une thématique data·inclusion."
            )
    record.thematics = [thematics[code] for code in dict.fromkeys(codes) if code in thematics]
    fees = _choices(record, problems, "frais", set(Fees.values), "un type de frais")
    values["fees"] = fees[0] if fees else ""
    values["fees_details"] = _text(
        record, problems, "frais_precisions", model, "fees_details"
    ) or _text(record, problems, "frais_autres", model, "fees_details")
    publics = _choices(record, problems, "publics", set(Public.values), "un public")
    values["publics"] = publics
    values["publics_key"] = publics_key(publics)
    values["publics_details"] = _text(
        record, problems, "publics_precisions", model, "publics_details"
    )
    values["access_conditions"] = str(record.raw.get("conditions_acces") or "").strip()
    values["address_line"] = _text(record, problems, "adresse", model, "address_line")
    values["address_complement"] = _text(
        record, problems, "complement_adresse", model, "address_complement"
    )
    _place(record, problems, values, communes)
    _contact(record, problems, values, model)
    modes = _choices(record, problems, "modes_accueil", set(RECEPTION), "un mode d'accueil")
    values["on_site"] = "en-presentiel" in modes or not modes
    values["remote"] = "a-distance" in modes
    values["mobilisation_modes"] = _choices(
        record,
        problems,
        "modes_mobilisation",
        set(MobilisationMode.values),
        "un mode de mobilisation",
    )
    mobilisers = _choices(
        record, problems, "mobilisable_par", set(MOBILISERS), "une personne mobilisatrice"
    )
    values["by_professionals"] = "professionnels" in mobilisers or not mobilisers
    values["by_residents"] = "usagers" in mobilisers
    values["mobilisation_link"] = _url(record, problems, "lien_mobilisation")
    values["mobilisation_details"] = str(record.raw.get("mobilisation_precisions") or "").strip()
    hours = record.raw.get("volume_horaire_hebdomadaire")
    values["weekly_hours"] = None
    if hours not in (None, ""):
        try:
            values["weekly_hours"] = Decimal(str(hours)).quantize(Decimal("0.1"))
            if values["weekly_hours"] < 0 or values["weekly_hours"] > 168:
                raise InvalidOperation
        except InvalidOperation:
            problems.add(
                record,
                "volume_horaire_hebdomadaire",
                f"« {hours} » : un nombre d'heures de 0 à 168.",
            )
            values["weekly_hours"] = None
    weeks = record.raw.get("nombre_semaines")
    values["weeks"] = None
    if weeks not in (None, ""):
        try:
            values["weeks"] = int(weeks)
            if values["weeks"] < 1:
                raise ValueError
        except (TypeError, ValueError):
            problems.add(
                record,
                "nombre_semaines",
                f"« {weeks} » : un nombre entier de semaines, 1 au moins.",
            )
            values["weeks"] = None
    values["opening_hours"] = _text(record, problems, "horaires_accueil", model, "opening_hours")
    zone_codes = _split_list(
        record.raw.get("zone_eligibilite") or record.raw.get("zone_diffusion_code")
    )
    if not zone_codes:
        problems.add(
            record,
            "zone_eligibilite",
            "zone d'éligibilité obligatoire (codes INSEE, EPCI, départements ou « france »).",
        )
    else:
        try:
            record.zones = zones.parse(zone_codes, known_zones)
        except zones.ZoneError as error:
            problems.add(record, "zone_eligibilite", str(error))


def _hash(values, extra=()):
    payload = json.dumps(
        [sorted((k, str(v)) for k, v in values.items()), [str(e) for e in extra]],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def read(content, file_name=""):
    """The ``Plan`` of a file: its records checked, each marked created / updated /
    unchanged, and the French problems (line and field). A bounded number of queries."""
    records = parse_records(content, file_name)
    problems = _Problems()
    for record in records:
        if "__invalid__" in record.raw:
            problems.messages.append(f"{record.where} : un objet JSON est attendu.")
        if "__columns__" in record.raw:
            problems.messages.append(f"{record.where} : plus de valeurs que de colonnes d'en-tête.")
    records = [r for r in records if "__invalid__" not in r.raw and "__columns__" not in r.raw]
    insee = {str(r.raw.get("code_insee") or "").strip().upper() for r in records}
    communes = dict(
        Commune.objects.filter(insee_code__in=insee, is_former=False).values_list(
            "insee_code", "pk"
        )
    )
    thematics = {t.code: t for t in Thematic.objects.all()}
    all_zone_codes = [
        code
        for r in records
        if r.kind == "service"
        for code in _split_list(r.raw.get("zone_eligibilite") or r.raw.get("zone_diffusion_code"))
    ]
    known_zones = zones.lookup(all_zone_codes)
    for record in records:
        if record.kind == "structure":
            _check_structure(record, problems, communes)
        else:
            _check_service(record, problems, communes, thematics, known_zones)
    _check_keys(records, problems)
    _mark(records)
    return Plan(records, problems.messages)


def _check_keys(records, problems):
    seen = {}
    for record in records:
        if not record.values.get("source_id"):
            continue
        key = (record.kind, *record.key)
        if key in seen:
            problems.messages.append(
                f"{record.where}, champ « id » : « {record.key[1]} » apparaît déjà ({seen[key]})."
            )
        seen.setdefault(key, record.where)
    in_file = {r.key for r in records if r.kind == "structure" and r.values.get("source_id")}
    wanted = {r.structure_key for r in records if r.kind == "service" and r.structure_key}
    stored = {
        (source, source_id)
        for source, source_id in DirectoryStructure.objects.filter(
            source__in={key[0] for key in wanted}, source_id__in={key[1] for key in wanted}
        ).values_list("source", "source_id")
    }
    for record in records:
        key = record.structure_key
        if record.kind == "service" and key and key[1] and key not in in_file | stored:
            problems.messages.append(
                f"{record.where}, champ « structure_id » : la structure « {key[1]} » "
                f"(source « {key[0]} ») n'est ni dans le fichier ni dans l'annuaire."
            )


def _mark(records):
    for kind, model in (("structure", DirectoryStructure), ("service", Service)):
        mine = [r for r in records if r.kind == kind and r.values.get("source_id")]
        existing = {
            (source, source_id): content_hash
            for source, source_id, content_hash in model.objects.filter(
                source__in={r.key[0] for r in mine}, source_id__in={r.key[1] for r in mine}
            ).values_list("source", "source_id", "content_hash")
        }
        for record in mine:
            record.values["content_hash"] = _hash(
                record.values,
                [
                    *(t.code for t in record.thematics),
                    *(f"{z.kind}:{z.code}" for z in record.zones),
                    record.structure_key,
                ],
            )
            if record.key not in existing:
                record.status = "created"
            elif existing[record.key] == record.values["content_hash"]:
                record.status = "unchanged"
            else:
                record.status = "updated"


# --- Writing -----------------------------------------------------------------------------------


@transaction.atomic
def apply(plan):
    """Writes a checked plan (refused when it has problems); returns its summary."""
    if not plan.ok:
        raise ImportRefused("Le fichier comporte des erreurs : rien n'a été importé.")
    sirets = {r.values.get("siret") for r in plan.records if r.kind == "structure"} - {""}
    # A structure of the network is recognised by its SIRET (when it has no entry yet).
    members = dict(
        Structure.objects.filter(siret__in=sirets, directory_entry__isnull=True).values_list(
            "siret", "pk"
        )
    )
    for record in plan.records:
        if record.kind == "structure" and record.status != "unchanged":
            entry, _ = DirectoryStructure.objects.update_or_create(
                source=record.values["source"],
                source_id=record.values["source_id"],
                defaults={
                    k: v for k, v in record.values.items() if k not in ("source", "source_id")
                },
            )
            member = members.pop(entry.siret, None) if entry.siret else None
            if member and entry.network_structure_id is None:
                entry.network_structure_id = member
                entry.save(update_fields=["network_structure"])
    structures = {}
    for record in plan.records:
        if record.kind != "service" or record.status == "unchanged":
            continue
        key = record.structure_key
        if key not in structures:
            structures[key] = DirectoryStructure.objects.get(source=key[0], source_id=key[1])
        structure = structures[key]
        defaults = {k: v for k, v in record.values.items() if k not in ("source", "source_id")}
        service, _ = Service.objects.update_or_create(
            source=record.values["source"],
            source_id=record.values["source_id"],
            defaults={**defaults, "structure": structure, "stale_notified_on": None},
        )
        commune = Commune.objects.filter(pk=service.commune_id).first()
        service.commune = commune
        service.search_text = search_text(service, record.thematics, structure.name)
        service.save(update_fields=["search_text"])
        ServiceThematic.objects.filter(service=service).delete()
        ServiceThematic.objects.bulk_create(
            ServiceThematic(service=service, thematic=t) for t in record.thematics
        )
        ServiceZone.objects.filter(service=service).delete()
        ServiceZone.objects.bulk_create(
            ServiceZone(service=service, kind=z.kind, code=z.code, label=z.label)
            for z in record.zones
        )
    return plan.summary()


def import_file(content, file_name=""):
    """Reads and applies in one go (the management command): raises ``ImportRefused`` with
    every problem when the file has some."""
    plan = read(content, file_name)
    if not plan.ok:
        raise ImportRefused("\n".join(plan.errors))
    summary = apply(plan)
    summary["at"] = timezone.now().isoformat()
    return summary
