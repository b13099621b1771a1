"""France Travail's « Offres d'emploi v2 » format: a list of offers, or the API's answer
``{"resultats": [...]}``. Every offer is checked; the errors name the offer (its position and
its id) and the field, in French."""

from tisserand.opportunities.importing import reading
from tisserand.opportunities.importing.drafts import length_errors, parse_datetime
from tisserand.opportunities.importing.errors import OfferFileRejected
from tisserand.opportunities.models import CONTRACT_TYPES, MAX_POSITIONS, OfferSource
from tisserand.referentials import uploads
from tisserand.referentials.vocabularies.choices import WorkingTime

EXPERIENCES = {"D", "S", "E"}


def load_file(path_or_file):
    """The offers of a file (path or binary file), or ``OfferFileRejected``."""
    data = reading.content_of(path_or_file)
    with reading.refusing():
        value = uploads.load_json(data)
    return parse(value)


def records_of(data):
    if isinstance(data, dict) and isinstance(data.get("resultats"), list):
        records = data["resultats"]
    elif isinstance(data, list):
        records = data
    else:
        raise OfferFileRejected(
            ["Le fichier doit contenir une liste d'offres, ou un objet avec « resultats »."]
        )
    if not records:
        raise OfferFileRejected(
            ["Le fichier ne contient aucune offre (il fermerait toutes les offres importées)."]
        )
    return records


def parse(data):
    """Drafts of every offer of ``data``; ``OfferFileRejected`` when any offer is wrong."""
    drafts, errors, seen = [], [], {}
    for position, raw in enumerate(records_of(data), start=1):
        try:
            draft = parse_offer(raw)
        except OfferError as error:
            name = raw.get("id") if isinstance(raw, dict) else None
            label = f"Offre n° {position}" + (f" (id {name})" if name else "")
            errors.extend(f"{label} : {message}" for message in error.messages)
            continue
        if draft["external_id"] in seen:
            errors.append(
                f"Offre n° {position} (id {draft['external_id']}) : champ « id » : "
                f"déjà présent à l'offre n° {seen[draft['external_id']]}."
            )
            continue
        seen[draft["external_id"]] = position
        drafts.append(draft)
    if errors:
        raise OfferFileRejected(errors)
    return drafts


class OfferError(Exception):
    def __init__(self, messages):
        self.messages = messages
        super().__init__("; ".join(messages))


def _text(raw, key, errors, *, required=False):
    value = raw.get(key)
    if value is None:
        if required:
            errors.append(f"champ « {key} » : obligatoire.")
        return ""
    if not isinstance(value, str | int):
        errors.append(f"champ « {key} » : texte attendu.")
        return ""
    value = str(value).strip()
    if required and not value:
        errors.append(f"champ « {key} » : obligatoire.")
    return value


def _object(raw, key, errors):
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(f"champ « {key} » : objet attendu.")
        return {}
    return value


def _list(raw, key, errors):
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(f"champ « {key} » : liste attendue.")
        return []
    return value


def _labels(items, key, field, errors):
    labels = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get(key), str):
            labels.append(item[key].strip())
        elif isinstance(item, str):
            labels.append(item.strip())
        else:
            errors.append(f"champ « {field} » : élément illisible.")
    return [label for label in labels if label]


def _point(place, errors):
    lat, lon = place.get("latitude"), place.get("longitude")
    if lat is None and lon is None:
        return None, None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        errors.append("champ « lieuTravail.latitude/longitude » : nombres attendus.")
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors.append("champ « lieuTravail.latitude/longitude » : coordonnées hors limites.")
        return None, None
    return lat, lon


def _skills(items, errors):
    skills = []
    for item in items:
        if not isinstance(item, dict):
            errors.append("champ « competences » : élément illisible.")
            continue
        code = item.get("code")
        try:
            code = int(code) if code not in (None, "") else None
        except (TypeError, ValueError):
            errors.append(f"champ « competences.code » : code OGR numérique attendu ({code}).")
            continue
        requirement = item.get("exigence", "S")
        if requirement not in ("E", "S", None):
            errors.append(f"champ « competences.exigence » : E ou S attendu ({requirement}).")
            continue
        skills.append(
            {
                "code": code,
                "label": str(item.get("libelle") or "").strip(),
                "required": requirement == "E",
            }
        )
    return skills


def _appellation_code(raw, errors):
    value = raw.get("appellationCode") or raw.get("codeAppellation")
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
    ):
        errors.append("champ « appellationCode » : code numérique attendu.")
        return None
    return value


def _working_time(raw):
    converted = str(raw.get("dureeTravailLibelleConverti") or "").casefold()
    if "partiel" in converted:
        return WorkingTime.PART_TIME
    if "plein" in converted:
        return WorkingTime.FULL_TIME
    return WorkingTime.ANY


def parse_offer(raw):
    """One draft from one offer, or ``OfferError`` listing what is wrong."""
    if not isinstance(raw, dict):
        raise OfferError(["objet attendu."])
    errors = []
    external_id = _text(raw, "id", errors, required=True)
    title = _text(raw, "intitule", errors, required=True)
    published_at = source_updated_at = None
    try:
        published_at = parse_datetime(raw.get("dateCreation"))
    except ValueError as error:
        errors.append(f"champ « dateCreation » : {error}.")
    if raw.get("dateActualisation"):
        try:
            source_updated_at = parse_datetime(raw.get("dateActualisation"))
        except ValueError as error:
            errors.append(f"champ « dateActualisation » : {error}.")
    place = _object(raw, "lieuTravail", errors)
    latitude, longitude = _point(place, errors)
    company = _object(raw, "entreprise", errors)
    contract = _text(raw, "typeContrat", errors)
    if contract and contract not in CONTRACT_TYPES:
        errors.append(f"champ « typeContrat » : type de contrat inconnu « {contract} ».")
    positions = raw.get("nombrePostes", 1)
    if positions is None:
        positions = 1
    if isinstance(positions, bool) or not isinstance(positions, int):
        errors.append("champ « nombrePostes » : nombre entier attendu.")
        positions = 1
    elif not 1 <= positions <= MAX_POSITIONS:
        errors.append(f"champ « nombrePostes » : entre 1 et {MAX_POSITIONS} ({positions}).")
    experience = _text(raw, "experienceExige", errors)
    if experience and experience not in EXPERIENCES:
        errors.append(f"champ « experienceExige » : D, S ou E attendu (« {experience} »).")
    alternance = raw.get("alternance", False)
    if not isinstance(alternance, bool):
        errors.append("champ « alternance » : vrai ou faux attendu.")
        alternance = False
    accessible = raw.get("accessibleTH")
    if accessible is not None and not isinstance(accessible, bool):
        errors.append("champ « accessibleTH » : vrai ou faux attendu.")
        accessible = None
    rome_code = _text(raw, "romeCode", errors).upper()
    salary = _object(raw, "salaire", errors)
    contact = _object(raw, "contact", errors)
    origin = _object(raw, "origineOffre", errors)
    siret = str(company.get("siret") or "").replace(" ", "")
    if siret and (len(siret) != 14 or not siret.isdigit()):
        errors.append(f"champ « entreprise.siret » : 14 chiffres attendus (« {siret} »).")
        siret = ""
    draft = {
        "source": OfferSource.FRANCE_TRAVAIL,
        "external_id": external_id,
        "title": title,
        "description": _text(raw, "description", errors),
        "published_at": published_at,
        "source_updated_at": source_updated_at,
        "place_label": str(place.get("libelle") or "").strip(),
        "postal_code": str(place.get("codePostal") or "").strip(),
        "latitude": latitude,
        "longitude": longitude,
        "source_rome_code": rome_code,
        "source_appellation_label": _text(raw, "appellationlibelle", errors),
        "company_name": str(company.get("nom") or "").strip(),
        "company_url": str(company.get("url") or "").strip(),
        "company_is_adapted": bool(company.get("entrepriseAdaptee")),
        "company_siret": siret,
        "contract_type": contract if contract in CONTRACT_TYPES else "",
        "contract_label": _text(raw, "typeContratLibelle", errors),
        "nature": _text(raw, "natureContrat", errors),
        "alternance": alternance,
        "positions": positions if isinstance(positions, int) else 1,
        "experience": experience if experience in EXPERIENCES else "",
        "experience_label": _text(raw, "experienceLibelle", errors),
        "trainings": _labels(
            _list(raw, "formations", errors), "domaineLibelle", "formations", errors
        ),
        "languages": _labels(_list(raw, "langues", errors), "libelle", "langues", errors),
        "licences": _labels(_list(raw, "permis", errors), "libelle", "permis", errors),
        "skills": _skills(_list(raw, "competences", errors), errors),
        "qualities": _labels(
            _list(raw, "qualitesProfessionnelles", errors),
            "libelle",
            "qualitesProfessionnelles",
            errors,
        ),
        "qualification_code": _text(raw, "qualificationCode", errors),
        "salary": str(salary.get("libelle") or "").strip(),
        "salary_comment": str(salary.get("commentaire") or "").strip(),
        "working_time": _working_time(raw),
        "working_time_label": _text(raw, "dureeTravailLibelle", errors),
        "apply_url": str(contact.get("urlPostulation") or "").strip(),
        "origin_url": str(origin.get("urlOrigine") or "").strip(),
        "accessible_th": accessible,
        "sector_code": _text(raw, "secteurActivite", errors),
        "sector_label": _text(raw, "secteurActiviteLibelle", errors),
        # Clues.
        "appellation_code": _appellation_code(raw, errors),
        "commune_insee": str(place.get("commune") or "").strip(),
    }
    for url_field in ("company_url", "apply_url", "origin_url"):
        if draft[url_field] and not draft[url_field].startswith(("http://", "https://")):
            errors.append(f"champ « {url_field} » : lien http(s) attendu.")
            draft[url_field] = ""
    errors.extend(f"champ « {name} » : {message}." for name, message in length_errors(draft))
    if errors:
        raise OfferError(errors)
    return draft
