"""Offers collected by partners, in a CSV (semicolon or comma, UTF-8) or XLSX file made from
the template (``template_rows``). Each line is checked; an error names the line and the
column, in French; a file with any error is refused whole."""

import csv
import io
import re

from openpyxl import Workbook

from tisserand.core.validators import validate_siret
from tisserand.opportunities.importing import reading
from tisserand.opportunities.importing.drafts import length_errors, parse_day
from tisserand.opportunities.importing.errors import OfferFileRejected
from tisserand.opportunities.models import CONTRACT_TYPES, MAX_POSITIONS, OfferSource
from tisserand.referentials import uploads
from tisserand.referentials.vocabularies.choices import WorkingTime

COLUMNS = [
    ("reference", "Référence de l'offre chez le partenaire (obligatoire, unique)", "R-2026-001"),
    ("intitule", "Intitulé du poste (obligatoire)", "Agent de propreté H/F"),
    ("description", "Description", "Entretien de bureaux, horaires de journée."),
    ("code_rome", "Code ROME (lettre et 4 chiffres)", "K2204"),
    ("appellation", "Appellation ROME ou intitulé du métier", "Agent / Agente de propreté"),
    ("siret", "SIRET de l'entreprise (14 chiffres)", ""),
    ("entreprise", "Nom de l'entreprise", "Propreté du Nord"),
    ("code_insee", "Code INSEE de la commune du poste", "59512"),
    ("lieu", "Lieu de travail (libellé)", "59 - Roubaix"),
    ("type_contrat", "Type de contrat : " + ", ".join(CONTRACT_TYPES), "CDD"),
    ("nombre_postes", "Nombre de postes (1 par défaut)", "2"),
    ("experience", "D (débutant accepté), S (souhaitée) ou E (exigée)", "D"),
    ("alternance", "oui ou non", "non"),
    ("temps_travail", "plein, partiel ou vide", "partiel"),
    ("salaire", "Salaire (texte)", "SMIC horaire"),
    ("lien_candidature", "Lien pour postuler (http…)", ""),
    ("email_contact", "Adresse e-mail de contact", "rh@exemple.fr"),
    ("date_fin", "Fin de publication (jj/mm/aaaa)", "31/01/2027"),
    ("accessible_th", "Accessible aux travailleurs handicapés : oui, non ou vide", "oui"),
]
NAMES = [name for name, _, _ in COLUMNS]
REQUIRED = {"reference", "intitule"}
WHOLE_NUMBER = re.compile(r"^[0-9]+(\.0+)?$")  # « 2 », or « 2.0 » from a spreadsheet
YES, NO = {"oui", "o", "1", "vrai", "x"}, {"non", "n", "0", "faux"}


def template_csv():
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(NAMES)
    writer.writerow([example for _, _, example in COLUMNS])
    return "\ufeff" + out.getvalue()


def template_xlsx():
    book = Workbook()
    sheet = book.active
    sheet.title = "Offres"
    sheet.append(NAMES)
    sheet.append([example for _, _, example in COLUMNS])
    help_sheet = book.create_sheet("Aide")
    help_sheet.append(["Colonne", "Contenu"])
    for name, text, _ in COLUMNS:
        help_sheet.append([name, text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_rows(name, content):
    """``(header, rows)`` of a CSV or XLSX file (bytes): the header's names in lower case, each
    row ``(line, cells)``."""
    with reading.refusing():
        uploads.check_size(content, reading.MAX_BYTES)
        header, rows = uploads.table(content, name, lower=True)
    if not rows:
        raise OfferFileRejected(
            [
                "Le fichier n'a aucune offre après la ligne d'en-tête (il fermerait toutes les "
                "offres de ce partenaire)."
            ]
        )
    return header, rows


def parse(name, content, *, partner_name):
    header, rows = read_rows(name, content)
    missing = [column for column in NAMES if column not in header]
    if missing:
        raise OfferFileRejected(
            ["Colonnes manquantes : " + ", ".join(missing) + " (téléchargez le modèle)."]
        )
    index = {column: header.index(column) for column in NAMES}
    drafts, errors, seen = [], [], {}
    for line, row in rows:
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            errors.append(f"Ligne {line} : {len(row)} valeurs pour {len(header)} colonnes.")
            continue
        cells = {column: (row[i].strip() if i < len(row) else "") for column, i in index.items()}
        draft, line_errors = parse_line(cells, partner_name)
        if not line_errors and draft["external_id"] in seen:
            line_errors = [("reference", f"déjà utilisée à la ligne {seen[draft['external_id']]}")]
        errors.extend(
            f"Ligne {line}, colonne « {column} » : {message}." for column, message in line_errors
        )
        if not line_errors:
            seen[draft["external_id"]] = line
            drafts.append(draft)
    if errors:
        raise OfferFileRejected(errors)
    return drafts


def _yes_no(value, column, errors, *, nullable=False):
    text = value.strip().casefold()
    if not text:
        return None if nullable else False
    if text in YES:
        return True
    if text in NO:
        return False
    errors.append((column, f"« {value} » : oui ou non attendu"))
    return None if nullable else False


FIELD_COLUMNS = {
    "external_id": "reference",
    "title": "intitule",
    "description": "description",
    "source_appellation_label": "appellation",
    "company_name": "entreprise",
    "place_label": "lieu",
    "salary": "salaire",
    "apply_url": "lien_candidature",
    "contact_email": "email_contact",
}


def parse_line(cells, partner_name):
    errors = []
    for column in REQUIRED:
        if not cells[column]:
            errors.append((column, "valeur obligatoire"))
    rome = cells["code_rome"].upper()
    if rome and not (len(rome) == 5 and rome[0].isalpha() and rome[1:].isdigit()):
        errors.append(("code_rome", f"« {rome} » : une lettre et 4 chiffres attendus"))
    siret = cells["siret"].replace(" ", "")
    if siret:
        try:
            validate_siret(siret)
        except Exception:
            errors.append(("siret", f"« {siret} » : SIRET invalide (14 chiffres, clé de contrôle)"))
            siret = ""
    insee = cells["code_insee"]
    if insee and not (len(insee) == 5 and insee[:2].isalnum() and insee[2:].isdigit()):
        errors.append(("code_insee", f"« {insee} » : code INSEE de 5 caractères attendu"))
    contract = cells["type_contrat"].upper()
    if contract and contract not in CONTRACT_TYPES:
        errors.append(("type_contrat", f"« {contract} » : type inconnu"))
    positions = 1
    if cells["nombre_postes"]:
        text = cells["nombre_postes"]
        try:
            if not WHOLE_NUMBER.match(text):
                raise ValueError
            positions = int(float(text))
            if not 1 <= positions <= MAX_POSITIONS:
                raise ValueError
        except ValueError:
            errors.append(
                ("nombre_postes", f"« {cells['nombre_postes']} » : entier de 1 à {MAX_POSITIONS}")
            )
            positions = 1
    experience = cells["experience"].upper()
    if experience and experience not in ("D", "S", "E"):
        errors.append(("experience", f"« {experience} » : D, S ou E attendu"))
    working = cells["temps_travail"].casefold()
    working_time = {
        "": WorkingTime.ANY,
        "plein": WorkingTime.FULL_TIME,
        "partiel": WorkingTime.PART_TIME,
    }.get(working)
    if working_time is None:
        errors.append(("temps_travail", f"« {cells['temps_travail']} » : plein, partiel ou vide"))
        working_time = WorkingTime.ANY
    expires_on = None
    if cells["date_fin"]:
        try:
            expires_on = parse_day(cells["date_fin"])
        except ValueError as error:
            errors.append(("date_fin", str(error)))
    url = cells["lien_candidature"]
    if url and not url.startswith(("http://", "https://")):
        errors.append(("lien_candidature", "lien http(s) attendu"))
    email = cells["email_contact"]
    if email and ("@" not in email or " " in email):
        errors.append(("email_contact", f"« {email} » : adresse e-mail invalide"))
    draft = {
        "source": OfferSource.PARTNER_FILE,
        **{field: cells[column] for field, column in FIELD_COLUMNS.items()},
        "source_rome_code": rome,
        "company_siret": siret,
        "contract_type": contract if contract in CONTRACT_TYPES else "",
        "contract_label": CONTRACT_TYPES.get(contract, ""),
        "positions": positions,
        "experience": experience if experience in ("D", "S", "E") else "",
        "alternance": _yes_no(cells["alternance"], "alternance", errors),
        "working_time": working_time,
        "expires_on": expires_on,
        "accessible_th": _yes_no(cells["accessible_th"], "accessible_th", errors, nullable=True),
        "commune_insee": insee,
        "appellation_code": None,
    }
    for field, message in length_errors(draft):
        errors.append((FIELD_COLUMNS.get(field, field), message))
    return draft, errors
