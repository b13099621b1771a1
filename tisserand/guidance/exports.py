"""The collective reconversion map of a company as documents: an XLSX workbook (one sheet per
table of the page) and a PDF (the page's tables, for the company's social partners)."""

from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from tisserand.guidance import pdf

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLLECTIVE_PDF_TEMPLATE = "guidance/pdf/collective.html"
FILENAME = "carte-reconversions"


def _training_rows(result):
    for detail in result.trainings.values():
        for match in detail.trainings:
            training = match.training
            yield [
                detail.suggestion.label,
                training.title,
                training.body.name if training.body else "",
                round(match.distance_km) if match.distance_km is not None else None,
                detail.trainings_scope,
            ]


def sheets(result):
    """(title, headers, rows) of each table of the collective map."""
    return [
        (
            "Métiers de destination",
            ["Métier", "Code ROME", "Salariés concernés", "Depuis", "Pertinence (%)"]
            + ["Mobilité officielle", "Recrutements"],
            [
                [
                    target.label,
                    target.code,
                    target.employees,
                    " ; ".join(target.jobs),
                    target.percent,
                    "oui" if target.is_official_mobility else "non",
                    target.demand_reason,
                ]
                for target in result.targets
            ],
        ),
        (
            "Besoins de formation",
            ["Compétence à acquérir", "Salariés", "Pour les métiers"],
            [[need.label, need.employees, " ; ".join(need.targets)] for need in result.needs],
        ),
        (
            "Formations",
            ["Métier", "Formation", "Organisme", "Distance (km)", "Recherche"],
            list(_training_rows(result)),
        ),
        (
            "Postes de l'entreprise",
            ["Métier occupé", "Code ROME", "Salariés"],
            [[job.label, job.code, job.employees] for job in result.jobs],
        ),
    ]


def collective_workbook(result):
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for title, headers, rows in sheets(result):
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append(row)
    stream = BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def collective_response(result, kind, request=None):
    """The map as an XLSX or PDF download (``kind``: "xlsx" or "pdf")."""
    if kind == "xlsx":
        response = HttpResponse(collective_workbook(result), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{FILENAME}.xlsx"'
        return response
    context = {"result": result, "sheets": sheets(result)}
    content = pdf.render_pdf(COLLECTIVE_PDF_TEMPLATE, context, request)
    return pdf.pdf_response(content, f"{FILENAME}.pdf")
