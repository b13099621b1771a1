"""The clauses' workbooks keep a text that starts like a formula from running."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from tests.clauses.factories import ParticipantFactory
from tisserand.clauses import imports, reports, services


def test_the_declarations_template_writes_names_as_text(lot, structure, holder):
    participant = ParticipantFactory(
        structure=structure, employer=holder, first_name="=1+1", last_name="@SOMME(A1)"
    )
    sheet = load_workbook(io.BytesIO(imports.template_xlsx(lot, [participant]))).active
    row = list(sheet.iter_rows(min_row=2, values_only=True))[0]
    assert row[1:3] == ("'=1+1", "'@SOMME(A1)")


def test_a_report_writes_its_title_and_texts_as_text(
    client_for, facilitator, lot, participant, actor
):
    data = {"participant": participant, "lot": lot, "month": datetime.date(2025, 3, 1)}
    services.declare(data={**data, "hours": Decimal(120)}, actor=actor)
    operation = lot.contract.operation
    lot.holder.name = "=cmd|' /C calc'!A0"
    lot.holder.save(update_fields=["name"])
    response = client_for(facilitator).get(
        reverse("clauses:operation_report", args=[operation.public_id, "xlsx"]) + "?annee=2025"
    )
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    assert any(str(cell.value).startswith("'") and "calc" in str(cell.value) for cell in cells)


def test_an_ordinary_value_is_left_as_it_is():
    assert reports._cell("Espaces verts") == "Espaces verts" and reports._cell(3) == 3
