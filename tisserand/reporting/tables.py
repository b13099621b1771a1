"""A table of figures as a page shows it and its XLSX export writes it: title, column headers,
rows of shown values (a masked count is « < 5 »), a note saying what it counts."""

from dataclasses import dataclass, field
from io import BytesIO

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    key: str = ""

    @property
    def slug(self):
        return self.key or slugify(self.title)[:40]


def workbook(tables, *, heading):
    book = Workbook()
    book.remove(book.active)
    used = set()
    for table in tables:
        name = _sheet_name(table.title, used)
        sheet = book.create_sheet(name)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([heading])
        if table.note:
            sheet.append([table.note])
        sheet.append([])
        sheet.append(table.columns)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(["" if value is None else value for value in row])
    if not tables:
        book.create_sheet("Vide").append(["Aucun tableau."])
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _sheet_name(title, used):
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Tableau"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name)
    return name


def xlsx_response(tables, *, heading, filename):
    response = HttpResponse(workbook(tables, heading=heading), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
