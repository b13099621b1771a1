"""Reading LHÉO files (2.3, and 2.2 mapped onto 2.3): parse, validate, extract. No database.

``read_catalogue(data, filename)`` returns a ``Catalogue`` of trainings ready to store, or
raises ``LheoError`` listing every problem found with its line, element and attribute, in
French. The encoding is the one the XML declaration states (official files are often
ISO-8859-15); a file whose bytes contradict its declaration is refused.

LHÉO 2.2 files (namespace ``http://www.lheo.org/2.2``) are validated against the 2.3 schema
after their namespace is mapped onto 2.3: the structure of formation → action → session is the
same, 2.3 only added optional elements.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from hashlib import sha1

from django.conf import settings
from lxml import etree
from stdnum.fr import siret as siret_number

from tisserand.core.errors import DomainError
from tisserand.referentials.trainings.text import html_to_text, safe_url

LHEO_23 = "http://lheo.gouv.fr/2.3"
LHEO_22 = "http://www.lheo.org/2.2"
VERSIONS = {LHEO_23: "2.3", LHEO_22: "2.2"}
NS = {"l": LHEO_23}
SCHEMA_PATH = settings.BASE_DIR / "data" / "trainings" / "lheo-2.3.xsd"
MAX_PROBLEMS = 20

UNKNOWN_DATES = {"00000000", "99999999"}
ROME_CODE = re.compile(r"^[A-N]\d{4}$")
FORMACODE = re.compile(r"^\d{5}$")
NSF_CODE = re.compile(r"^\d{3}$|^\d{2}[a-z]$")
RNCP_CODE = re.compile(r"^(?:RNCP)?(\d{1,6})$", re.IGNORECASE)
RS_CODE = re.compile(r"^(?:RS)?(\d{1,6})$", re.IGNORECASE)
CERTIFINFO_CODE = re.compile(r"^\d{1,7}$")
INSEE_CODE = re.compile(r"^(?:\d{2}|2A|2B)\d{3}$")
POSTAL_CODE = re.compile(r"^\d{5}$")
ID_IN_EXTRA = re.compile(r"(?:^|[\s_-])ID(?:[\s_-]|$)", re.IGNORECASE)

# dict-niveaux of LHÉO: 2–8 is the former nomenclature (VI … I), 11–18 the 2019 national frame.
NATIONAL_LEVEL_OF_LHEO_CODE = {
    "2": 1,
    "3": 2,
    "4": 3,
    "5": 4,
    "6": 5,
    "7": 6,
    "8": 7,
    **{str(10 + level): level for level in range(1, 9)},
}


# --- Problems --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    message: str
    line: int | None = None
    element: str | None = None
    attribute: str | None = None

    def render(self, filename):
        where = [f"fichier « {filename} »"]
        if self.line:
            where.append(f"ligne {self.line}")
        if self.element:
            where.append(f"élément <{self.element}>")
        if self.attribute:
            where.append(f"attribut « {self.attribute} »")
        return f"{', '.join(where)} : {self.message}"


class LheoError(DomainError):
    """The file cannot be imported; nothing was written."""

    def __init__(self, filename, problems):
        self.filename = filename
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self):
        count = len(self.problems)
        head = (
            f"Import refusé : {count} erreur{'s' if count > 1 else ''} dans « {self.filename} », "
            "rien n'a été enregistré."
        )
        shown = [f"- {p.render(self.filename)}" for p in self.problems[:MAX_PROBLEMS]]
        if count > MAX_PROBLEMS:
            shown.append(f"- … et {count - MAX_PROBLEMS} autres erreurs.")
        return "\n".join([head, *shown])


class Problems:
    """Collects the problems of one file, each tied to the element where it was found."""

    def __init__(self):
        self.items = []

    def add(self, element, message, attribute=None):
        self.items.append(
            Problem(
                message=message,
                line=getattr(element, "sourceline", None),
                element=_local_name(element) if element is not None else None,
                attribute=attribute,
            )
        )

    def __bool__(self):
        return bool(self.items)


# --- What the file holds ----------------------------------------------------------------------


@dataclass
class Code:
    kind: str
    code: str
    is_principal: bool = False
    line: int | None = None


@dataclass
class Parsed:
    """One row to store: its LHÉO key, its model fields, the line where it starts."""

    key: str
    fields: dict
    line: int | None = None
    insee_line: int | None = None
    children: list = field(default_factory=list)


@dataclass
class ParsedTraining(Parsed):
    codes: list = field(default_factory=list)
    body: Parsed | None = None


@dataclass
class Catalogue:
    filename: str
    version: str
    encoding: str
    trainings: list

    @property
    def actions(self):
        return [action for training in self.trainings for action in training.children]

    @property
    def sessions(self):
        return [session for action in self.actions for session in action.children]

    def places(self):
        """Every parsed row carrying a commune: bodies, actions and sessions."""
        for training in self.trainings:
            yield training.body
            for action in training.children:
                yield action
                yield from action.children


# --- Reading ---------------------------------------------------------------------------------


def read_catalogue(data, filename):
    """Parses, validates and extracts ``data`` (the file's bytes)."""
    root, encoding = _parse(data, filename)
    version = _version(root, filename)
    if version == "2.2":
        _map_onto_23(root)
    _validate(root, filename, version)
    problems = Problems()
    trainings = _trainings(root, problems)
    if problems:
        raise LheoError(filename, problems.items)
    return Catalogue(filename=filename, version=version, encoding=encoding, trainings=trainings)


def _parse(data, filename):
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise LheoError(filename, [_syntax_problem(error, data)]) from error
    encoding = root.getroottree().docinfo.encoding or "UTF-8"
    _check_declared_encoding(data, encoding, filename)
    return root, encoding


def _syntax_problem(error, data):
    types = etree.ErrorTypes
    line = error.position[0] if error.position else error.lineno
    detail = re.sub(r"(,? line \d+)+(, column \d+)?$", "", error.msg)
    if error.code in (types.ERR_INVALID_ENCODING, types.ERR_INVALID_CHAR):
        message = (
            "encodage incorrect : des octets ne correspondent pas à l'encodage déclaré par "
            "l'en-tête XML (UTF-8 s'il n'y en a pas). Les fichiers officiels sont souvent en "
            'ISO-8859-15 : l\'en-tête doit alors le dire (<?xml version="1.0" '
            'encoding="ISO-8859-15"?>).'
        )
    elif error.code == types.ERR_UNSUPPORTED_ENCODING:
        message = "encodage inconnu déclaré par l'en-tête XML."
    elif error.code == types.ERR_DOCUMENT_EMPTY or not data.strip():
        message = "le fichier est vide."
    elif line >= data.rstrip().count(b"\n") + 1:
        message = f"fichier tronqué : le XML s'arrête avant sa fin ({detail})."
    else:
        message = f"XML mal formé ({detail})."
    return Problem(message=message, line=line)


def _check_declared_encoding(data, encoding, filename):
    """A file declared in a single-byte encoding whose accents are UTF-8 sequences is refused:
    its text would be stored garbled (« Ã© » for « é »)."""
    if encoding.upper().replace("_", "-") in {"UTF-8", "UTF8", "US-ASCII", "ASCII"}:
        return
    if data.isascii():
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    first = next(index for index, byte in enumerate(data) if byte > 127)
    line = data.count(b"\n", 0, first) + 1
    raise LheoError(
        filename,
        [
            Problem(
                message=(
                    f"encodage incorrect : l'en-tête XML déclare {encoding} mais le contenu est "
                    'encodé en UTF-8. Corrigez l\'en-tête (encoding="UTF-8") ou réencodez.'
                ),
                line=line,
            )
        ],
    )


def _version(root, filename):
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname == "lheo" and namespace in VERSIONS:
        return VERSIONS[namespace]
    raise LheoError(
        filename,
        [
            Problem(
                message=(
                    f"ce n'est pas un fichier LHÉO 2.2 ou 2.3 : l'élément racine est "
                    f"<{etree.QName(root).localname}> dans l'espace de noms « {namespace} », "
                    f"attendu <lheo> dans « {LHEO_23} » ou « {LHEO_22} »."
                ),
                line=root.sourceline,
                element=etree.QName(root).localname,
            )
        ],
    )


def _map_onto_23(root):
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{" + LHEO_22 + "}"):
            element.tag = "{" + LHEO_23 + "}" + element.tag[len(LHEO_22) + 2 :]


@cache
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def _validate(root, filename, version):
    validator = schema()
    if validator.validate(root):
        return
    against = (
        "au schéma LHÉO 2.3"
        if version == "2.3"
        else "à la structure LHÉO (fichier 2.2 vérifié avec le schéma 2.3)"
    )
    raise LheoError(filename, [_schema_problem(e, against) for e in validator.error_log])


SCHEMA_ERROR_PATTERN = re.compile(
    r"^Element '(?:\{[^}]*\})?(?P<element>[^']+)'(?:, attribute '(?P<attribute>[^']+)')?: "
    r"(?P<detail>.*)$",
    re.DOTALL,
)


def _schema_problem(error, against):
    match = SCHEMA_ERROR_PATTERN.match(error.message)
    element = match["element"] if match else None
    attribute = match["attribute"] if match else None
    detail = re.sub(r"\{[^}]*\}", "", match["detail"] if match else error.message)
    return Problem(
        message=f"non conforme {against} — {_schema_reason(error.type_name)} ({detail})",
        line=error.line,
        element=element,
        attribute=attribute,
    )


def _schema_reason(type_name):
    reasons = {
        "SCHEMAV_ELEMENT_CONTENT": "élément absent, en trop ou mal placé",
        "SCHEMAV_CVC_COMPLEX_TYPE_2_4": "élément obligatoire absent",
        "SCHEMAV_CVC_PATTERN_VALID": "valeur au mauvais format",
        "SCHEMAV_CVC_ENUMERATION_VALID": "valeur hors de la liste autorisée",
        "SCHEMAV_CVC_LENGTH_VALID": "longueur de valeur incorrecte",
        "SCHEMAV_CVC_MINLENGTH_VALID": "valeur trop courte",
        "SCHEMAV_CVC_MAXLENGTH_VALID": "valeur trop longue",
        "SCHEMAV_CVC_DATATYPE_VALID_1_2_1": "valeur d'un type incorrect",
        "SCHEMAV_CVC_ATTRIBUTE_3": "valeur d'attribut incorrecte",
        "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1": "attribut non prévu",
        "SCHEMAV_CVC_ELT_1": "élément inconnu",
    }
    return reasons.get(type_name, "structure incorrecte")


# --- Extraction ------------------------------------------------------------------------------


def _local_name(element):
    return etree.QName(element).localname


def _find(element, path):
    return element.find(path, NS) if element is not None else None


def _text(element, path=None):
    target = element if path is None else _find(element, path)
    if target is None or target.text is None:
        return ""
    return target.text.strip()


def _texts(element, path):
    return [(child.text or "").strip() for child in element.findall(path, NS)]


def _identifier(element):
    """The producer's id: the ``numero`` attribute, else an ``extra`` whose info names an ID."""
    numero = (element.get("numero") or "").strip()
    if numero:
        return numero
    for extra in element.findall("l:extras//l:extra", NS):
        if ID_IN_EXTRA.search(extra.get("info") or "") and (extra.text or "").strip():
            return f"{extra.get('info').strip()}:{extra.text.strip()}"
    return None


def _trainings(root, problems):
    trainings, seen = [], {}
    for element in root.findall("l:offres/l:formation", NS):
        training = _training(element, problems)
        if training.key in seen:
            problems.add(
                element,
                f"identifiant « {training.key} » déjà utilisé par la formation de la ligne "
                f"{seen[training.key]}.",
                attribute="numero",
            )
        seen[training.key] = element.sourceline
        trainings.append(training)
    return trainings


def _training(element, problems):
    body = _body(_find(element, "l:organisme-formation-responsable"), problems)
    title = _text(element, "l:intitule-formation")
    key = _identifier(element) or _natural_key(body.fields["siret"], title)
    exit_code = _text(element, "l:code-niveau-sortie")
    training = ParsedTraining(
        key=key,
        line=element.sourceline,
        fields={
            "title": title,
            "objective": html_to_text(_text(element, "l:objectif-formation")),
            "expected_results": html_to_text(_text(element, "l:resultats-attendus")),
            "content": html_to_text(_text(element, "l:contenu-formation")),
            "is_certifying": _text(element, "l:certifiante") == "1",
            "entry_level_code": _text(element, "l:code-niveau-entree"),
            "exit_level_code": exit_code,
            "exit_level": NATIONAL_LEVEL_OF_LHEO_CODE.get(exit_code),
            "url": safe_url(_text(element, "l:url-formation/l:urlweb")),
        },
        codes=_codes(element, problems),
        body=body,
    )
    training.children = _unique(
        [_action(child, rank, problems) for rank, child in _ranked(element, "l:action")],
        problems,
        "action",
    )
    return training


def _natural_key(siret, title):
    digest = sha1(f"{siret}|{title}".encode()).hexdigest()[:16]
    return f"siret-{siret}-{digest}"


def _ranked(element, path):
    return enumerate(element.findall(path, NS), start=1)


def _unique(items, problems, label):
    seen = {}
    for item in items:
        if item.key in seen:
            problems.items.append(
                Problem(
                    message=(
                        f"identifiant « {item.key} » en double : une autre {label} de la même "
                        f"formation le porte (ligne {seen[item.key]})."
                    ),
                    line=item.line,
                    element=label,
                    attribute="numero",
                )
            )
        seen[item.key] = item.line
    return items


def _codes(element, problems):
    codes = []
    domain = _find(element, "l:domaine-formation")
    checks = [
        ("l:code-ROME", "rome", ROME_CODE, "une lettre de A à N suivie de 4 chiffres (ex. M1805)"),
        ("l:code-FORMACODE", "formacode", FORMACODE, "5 chiffres"),
        ("l:code-NSF", "nsf", NSF_CODE, "3 chiffres"),
    ]
    for path, kind, pattern, expected in checks:
        for child in domain.findall(path, NS):
            value = (child.text or "").strip().upper()
            if kind == "nsf":
                value = value.lower()
            if not pattern.match(value):
                problems.add(child, f"code {kind.upper()} « {value} » invalide : {expected}.")
                continue
            principal = child.get("tag") == "principal"
            codes.append(Code(kind, value, principal, child.sourceline))
    for certification in element.findall("l:certification", NS):
        codes.extend(_certification_codes(certification, problems))
    return _dedupe(codes)


def _certification_codes(certification, problems):
    checks = [
        ("l:code-RNCP", "rncp", RNCP_CODE, "RNCP", "un nombre, avec ou sans « RNCP » devant"),
        ("l:code-CERTIFINFO", "certifinfo", CERTIFINFO_CODE, "Certif Info", "un nombre"),
        ("l:code-RS", "rs", RS_CODE, "RS", "un nombre, avec ou sans « RS » devant"),
    ]
    for path, kind, pattern, label, expected in checks:
        child = _find(certification, path)
        if child is None:
            continue
        value = (child.text or "").strip()
        match = pattern.match(value)
        if not match:
            problems.add(child, f"code {label} « {value} » invalide : {expected}.")
            continue
        yield Code(kind, match.group(match.lastindex or 0), line=child.sourceline)


def _dedupe(codes):
    unique = {}
    for code in codes:
        key = (code.kind, code.code)
        if key not in unique or code.is_principal:
            unique[key] = code
    return list(unique.values())


def _body(element, problems):
    siret_element = _find(element, "l:SIRET-organisme-formation/l:SIRET")
    siret = _text(siret_element).replace(" ", "")
    if not siret_number.is_valid(siret):
        problems.add(
            siret_element,
            f"SIRET « {siret} » invalide : 14 chiffres dont le dernier est une clé de contrôle.",
        )
    coordinates = _find(element, "l:coordonnees-organisme/l:coordonnees")
    place, insee_line = _place(coordinates, _find(coordinates, "l:adresse"), problems)
    return Parsed(
        key=siret,
        line=element.sourceline,
        insee_line=insee_line,
        fields={
            "siret": siret,
            "name": _text(element, "l:nom-organisme"),
            "legal_name": _meaningful(_text(element, "l:raison-sociale")),
            "activity_number": _text(element, "l:numero-activite"),
            "lheo_id": (element.get("numero") or "").strip(),
            "phone": _text(coordinates, "l:telfixe/l:numtel"),
            "email": _text(coordinates, "l:courriel"),
            "website": safe_url(_text(coordinates, "l:web/l:urlweb")),
            **place,
        },
    )


def _meaningful(value):
    """LHÉO producers write « - » for an empty mandatory text."""
    return "" if value in {"-", "."} else value


def _action(element, rank, problems):
    training_place = _find(element, "l:lieu-de-formation/l:coordonnees")
    place, insee_line = _place(training_place, _find(training_place, "l:adresse"), problems)
    hours = {
        name: _positive_int(element, path, problems)
        for name, path in (
            ("hours_total", "l:nombre-heures-total"),
            ("hours_center", "l:nombre-heures-centre"),
            ("hours_company", "l:nombre-heures-entreprise"),
        )
    }
    if hours["hours_total"] is None and (hours["hours_center"] or hours["hours_company"]):
        hours["hours_total"] = (hours["hours_center"] or 0) + (hours["hours_company"] or 0)
    action = Parsed(
        key=_identifier(element) or f"rang-{rank}",
        line=element.sourceline,
        insee_line=insee_line,
        fields={
            "rhythm": _meaningful(_text(element, "l:rythme-formation")),
            "teaching_mode": int(_text(element, "l:modalites-enseignement")),
            "permanent_entry": _text(element, "l:modalites-entrees-sorties") == "1",
            "work_study": _meaningful(html_to_text(_text(element, "l:modalites-alternance"))),
            "specific_conditions": _meaningful(
                html_to_text(_text(element, "l:conditions-specifiques"))
            ),
            "funding_possible": _text(element, "l:prise-en-charge-frais-possible") == "1",
            "total_price": _price(element, "l:prix-total-TTC", problems),
            "hourly_price": _price(element, "l:prix-horaire-TTC", problems),
            "indicative_duration": _text(element, "l:duree-indicative"),
            "disabled_access": _text(element, "l:acces-handicapes"),
            "url": safe_url(_text(element, "l:url-action/l:urlweb")),
            **hours,
            **place,
        },
    )
    sessions = [
        _session(child, place, insee_line, problems) for child in element.findall("l:session", NS)
    ]
    action.children = _unique(_number_duplicates(sessions), problems, "session")
    return action


def _session(element, training_place, training_insee_line, problems):
    period = _find(element, "l:periode")
    start = _date(_find(period, "l:debut"), problems)
    end = _date(_find(period, "l:fin"), problems)
    if start and end and end < start:
        problems.add(
            period, f"la session finit ({end:%d/%m/%Y}) avant de commencer ({start:%d/%m/%Y})."
        )
    registration = _find(element, "l:adresse-inscription/l:adresse")
    registration_place, registration_insee_line = _place(None, registration, problems)
    has_training_place = training_place.get("city") or training_place.get("commune_insee")
    place = training_place if has_training_place else registration_place
    state = _text(element, "l:etat-recrutement")
    return Parsed(
        key=_identifier(element) or f"{_text(period, 'l:debut')}-{_text(period, 'l:fin')}",
        line=element.sourceline,
        insee_line=training_insee_line if has_training_place else registration_insee_line,
        fields={
            "start_date": start,
            "end_date": end,
            "registration_address": _one_line(registration_place),
            "recruitment_state": int(state) if state else None,
            **place,
        },
    )


def _number_duplicates(sessions):
    """Sessions without an id are keyed by their dates; the same dates twice get a rank."""
    counts = {}
    for session in sessions:
        counts[session.key] = counts.get(session.key, 0) + 1
        if counts[session.key] > 1:
            session.key = f"{session.key}#{counts[session.key]}"
    return sessions


def _one_line(place):
    locality = " ".join(p for p in (place["postal_code"], place["city"]) if p)
    return ", ".join(p for p in (place["place_name"], place["address"], locality) if p)


def _place(coordinates, address, problems):
    """(Place fields, line of the INSEE code) of a <coordonnees> and/or <adresse>."""
    empty = {
        "place_name": "",
        "address": "",
        "postal_code": "",
        "city": "",
        "commune_insee": "",
        "latitude": None,
        "longitude": None,
    }
    if address is None and coordinates is None:
        return empty, None
    lines = (
        [_meaningful(line) for line in _texts(address, "l:ligne")] if address is not None else []
    )
    names = _texts(coordinates, "l:ligne") if coordinates is not None else []
    name = _text(address, "l:denomination") or (names[0] if names else "")
    place = {
        **empty,
        "place_name": name,
        "address": ", ".join(line for line in lines if line and line != name),
    }
    if address is None:
        return place, None
    postal_element = _find(address, "l:codepostal")
    postal_code = _text(postal_element)
    if postal_code and not POSTAL_CODE.match(postal_code):
        problems.add(postal_element, f"code postal « {postal_code} » invalide : 5 chiffres.")
    insee_element = _find(address, "l:code-INSEE-commune")
    insee = _text(insee_element).upper()
    if insee and not INSEE_CODE.match(insee):
        problems.add(
            insee_element,
            f"code commune INSEE « {insee} » invalide : 5 caractères (ex. 59512 pour Roubaix).",
        )
    place.update(
        postal_code=postal_code,
        city=_text(address, "l:ville"),
        commune_insee=insee,
        **_point(_find(address, "l:geolocalisation"), problems),
    )
    return place, insee_element.sourceline if insee_element is not None else None


def _point(element, problems):
    if element is None:
        return {}
    values = {}
    for name, limit in (("latitude", 90), ("longitude", 180)):
        child = _find(element, f"l:{name}")
        raw = _text(child).replace(",", ".")
        try:
            value = float(raw)
        except ValueError:
            problems.add(child, f"{name} « {raw} » invalide : un nombre décimal attendu.")
            return {}
        if not -limit <= value <= limit:
            problems.add(child, f"{name} « {raw} » hors des bornes (±{limit}).")
            return {}
        values[name] = value
    if values["latitude"] == 0 and values["longitude"] == 0:
        return {}
    return values


def _date(element, problems):
    raw = _text(element)
    if raw in UNKNOWN_DATES:
        return None
    try:
        return datetime.strptime(raw, "%Y%m%d").date()
    except ValueError:
        problems.add(element, f"date « {raw} » impossible : AAAAMMJJ attendu (ex. 20270315).")
        return None


def _price(element, path, problems):
    child = _find(element, path)
    raw = _text(child).replace(" ", "").replace("\u00a0", "").replace("€", "").replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        problems.add(child, f"prix « {_text(child)} » invalide : un montant en euros attendu.")
        return None
    if value < 0 or not value.is_finite():
        problems.add(child, f"prix « {_text(child)} » invalide : un montant positif attendu.")
        return None
    return value.quantize(Decimal("0.01"))


def _positive_int(element, path, problems):
    child = _find(element, path)
    raw = _text(child)
    if not raw:
        return None
    value = int(raw)  # the schema guarantees an integer
    if value < 0:
        problems.add(child, f"nombre d'heures « {raw} » négatif.")
        return None
    return value
