"""Exports of the GPEC toolkit: the leader's PDF synthesis (WeasyPrint, imported only when a
PDF is made) and the skills matrix as XLSX (openpyxl)."""

from io import BytesIO

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from tisserand.companies import gpec_analysis as analysis
from tisserand.companies.gpec_charts import pyramid_svg
from tisserand.referentials.uploads import safe_row

PDF_TEMPLATE = "companies/gpec/pdf/synthesis.html"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def synthesis_context(data):
    bands = analysis.pyramid(data)
    return {
        "establishment": data.establishment,
        "data": data,
        "summary": analysis.summary(data),
        "bands": bands,
        "pyramid": pyramid_svg(bands),
        "departures": analysis.departures(data),
        "anticipation": analysis.anticipation(data),
        "position_gaps": [analysis.position_gaps(data, p) for p in data.positions],
        "training_plan": analysis.training_plan(data),
        "horizon": analysis.HORIZON_YEARS,
        "generated_on": timezone.localdate(),
    }


def synthesis_pdf(data, request=None):
    from weasyprint import HTML

    html = render_to_string(PDF_TEMPLATE, synthesis_context(data), request=request)
    # A local base URL: the document embeds its styles and never fetches anything.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def matrix_workbook(data):
    """The skills matrix: one row per employee, one column per skill of the catalogue, the
    level or empty when not rated; a second sheet with the positions' required levels."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Matrice"
    skills = list(data.skills.values())
    sheet.append(safe_row(["Salarié·e", "Poste", "Année de naissance", *[s.label for s in skills]]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for employee in data.employees:
        sheet.append(
            safe_row(
                [
                    employee.alias,
                    employee.position.title if employee.position else "",
                    employee.birth_year,
                    *[data.level(employee, s.pk) for s in skills],
                ]
            )
        )
    sheet.freeze_panes = "D2"
    required = workbook.create_sheet("Niveaux attendus")
    required.append(["Poste", "Métier (ROME)", "Compétence", "Cœur de métier", "Niveau attendu"])
    for cell in required[1]:
        cell.font = Font(bold=True)
    for position in data.positions:
        for link in position.skills.all():
            required.append(
                safe_row(
                    [
                        position.title,
                        f"{position.appellation.label} ({position.appellation.fiche.code})",
                        link.skill.label,
                        "oui" if link.is_core else "non",
                        link.required_level,
                    ]
                )
            )
    legend = workbook.create_sheet("Légende")
    for row in (
        ["Niveau", "Signification"],
        [0, "non acquis"],
        [1, "en apprentissage"],
        [2, "autonome"],
        [3, "expert, transmet"],
        ["(vide)", "non évalué"],
    ):
        legend.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_response(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
