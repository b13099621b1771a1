"""The caseload as an XLSX workbook: the rows of the page (same filters, same sort), every
page of them, with the columns of the screen, and a second sheet recalling the filters."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tisserand.accompaniment.caseload import (
    ALERTS,
    CONTACT_CHOICES,
    QPV_CHOICES,
    SORTS,
    STATUSES,
    Row,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
BATCH = 500


def columns(caseload):
    """(header, value of a row) of each column, as on the page."""
    cols = [
        ("Nom", lambda row: row.person.last_name.upper()),
        ("Prénom", lambda row: row.person.first_name),
        ("Programme", lambda row: str(row.accompaniment.programme)),
    ]
    if caseload.sees_structure:
        cols.append(("Référent", lambda row: _user(row.accompaniment.referent)))
    cols += [
        ("Entrée", lambda row: row.accompaniment.entry_date),
        ("Statut", lambda row: row.accompaniment.get_status_display()),
        ("Sortie", lambda row: row.accompaniment.exit_date),
        ("Dernier contact", lambda row: row.last_contact),
        ("QPV", lambda row: row.person.qpv_label_today),
        ("Suivi à 6 mois", _follow_up),
        ("Alertes", lambda row: ", ".join(label for _, label, _ in row.alerts)),
    ]
    return cols


def _user(user):
    return user.get_full_name() or user.email


def _follow_up(row):
    follow_up = row.follow_up
    if follow_up is None:
        return ""
    if follow_up.outside_window:
        return f"fait le {follow_up.contacted_on:%d/%m/%Y}, hors fenêtre : non compté FSE+"
    if follow_up.is_recorded:
        return f"fait le {follow_up.contacted_on:%d/%m/%Y}"
    return f"à faire le {follow_up.due_on:%d/%m/%Y}"


def caseload_workbook(caseload):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("File active")
    cols = columns(caseload)
    bold = Font(bold=True)
    sheet.append([_cell(sheet, header, font=bold) for header, _ in cols])
    for accompaniment in caseload.rows().iterator(chunk_size=BATCH):
        row = Row(accompaniment, caseload)
        sheet.append([_cell(sheet, value(row)) for _, value in cols])
    _filters_sheet(workbook.create_sheet("Filtres"), caseload)
    stream = BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _cell(sheet, value, font=None):
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if hasattr(value, "year"):
        cell.number_format = DATE_FORMAT
    return cell


def _filters_sheet(sheet, caseload):
    f = caseload.filters
    referents = {str(public_id): name for public_id, name in caseload.referents}
    sheet.append(["Export du", timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    sheet.append(["Structure", str(caseload.membership.structure)])
    sheet.append(["Statut", STATUSES[f.status][0]])
    sheet.append(["Programme", dict(caseload.programmes).get(f.programme, "Tous")])
    sheet.append(["QPV", QPV_CHOICES.get(f.qpv, "Tous")])
    sheet.append(["Dernier contact", CONTACT_CHOICES.get(f.contact, "Tous")])
    sheet.append(["Alerte", ALERTS.get(f.alert, "Toutes")])
    if caseload.sees_structure:
        sheet.append(["Référent", referents.get(f.referent, "Tous")])
    order = "décroissant" if f.descending else "croissant"
    sheet.append(["Tri", f"{SORTS[f.sort][0]} ({order})"])
