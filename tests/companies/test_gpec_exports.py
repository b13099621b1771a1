"""The GPEC exports open and carry the figures: the PDF synthesis (its laid-out text read back
from WeasyPrint's boxes) and the XLSX matrix (read back with openpyxl)."""

from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from tests.companies.factories import EstablishmentFactory
from tests.companies.portal_helpers import client_of, leader_of, rate, skill_of, toolkit
from tisserand.companies import gpec_analysis, gpec_exports


@pytest.fixture
def kit():
    leader = leader_of(EstablishmentFactory(name="Boulangerie du Pile"))
    found = toolkit(leader.establishment)
    rate(found["people"]["Lina"], skill_of(found["baker"], "Cuire au four"), 1)
    rate(found["people"]["Bernard"], skill_of(found["baker"], "Cuire au four"), 3)
    return {"leader": leader, **found}


def _texts(box):
    text = getattr(box, "text", None)
    if text:
        yield text
    for child in getattr(box, "children", []) or []:
        yield from _texts(child)


def test_the_pdf_synthesis_opens_and_shows_the_figures(kit):
    from weasyprint import HTML

    data = gpec_analysis.load(kit["leader"].establishment)
    html = render_to_string(gpec_exports.PDF_TEMPLATE, gpec_exports.synthesis_context(data))
    document = HTML(string=html).render()
    text = " ".join(t for page in document.pages for t in _texts(page._page_box))
    assert "Synthèse GPEC — Boulangerie du Pile" in text
    assert "Bernard" in text and "retraite en" in text
    assert "Théo" in text and "fin de CDD" in text
    assert "Cuire au four" in text
    assert "60 ans et plus" in text
    content = gpec_exports.synthesis_pdf(data)
    assert content.startswith(b"%PDF")


def test_the_leader_downloads_the_pdf(kit):
    url = reverse("companies:portal_gpec_pdf", args=[kit["leader"].establishment.public_id])
    response = client_of(kit["leader"].user).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "gpec-boulangerie-du-pile.pdf" in response["Content-Disposition"]


def test_the_xlsx_matrix_carries_levels_and_leaves_unrated_cells_empty(kit):
    url = reverse("companies:portal_gpec_xlsx", args=[kit["leader"].establishment.public_id])
    response = client_of(kit["leader"].user).get(url)
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["Matrice"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Cuire au four")
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"Bernard", "Lina", "Théo", "Zoé"}
    assert rows["Bernard"][column].value == 3
    assert rows["Lina"][column].value == 1
    assert rows["Zoé"][column].value is None  # not rated: empty, never 0
    required = [
        [cell.value for cell in row] for row in workbook["Niveaux attendus"].iter_rows(min_row=2)
    ]
    assert any(
        row[0] == kit["baker"].title
        and row[2] == "Cuire au four"
        and row[3] == "oui"
        and row[4] == 2
        for row in required
    )


def test_the_xlsx_matrix_keeps_a_text_from_running_as_a_formula(kit):
    employee = kit["people"]["Lina"]
    employee.alias = '=HYPERLINK("http://exemple.test","Lina")'
    employee.save(update_fields=["alias"])
    url = reverse("companies:portal_gpec_xlsx", args=[kit["leader"].establishment.public_id])
    sheet = load_workbook(BytesIO(client_of(kit["leader"].user).get(url).content))["Matrice"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    shown = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
    assert shown.value == "'" + employee.alias and shown.data_type == "s"
    assert all(cell.data_type != "f" for cell in cells)
