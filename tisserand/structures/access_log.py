"""The access log page of a structure: its filters and its XLSX export (exactly the visits
the page lists with the same filters)."""

from io import BytesIO

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tisserand.core.access_log import accesses_to_records_of, grouped_visits
from tisserand.core.forms import DateInput
from tisserand.structures.models import Structure

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AccessLogFilters(forms.Form):
    person = forms.CharField(label="Personne", required=False, max_length=100)
    user = forms.TypedChoiceField(label="Utilisateur", required=False, coerce=int)
    acting_structure = forms.TypedChoiceField(label="Au titre de", required=False, coerce=int)
    since = forms.DateField(label="Du", required=False, widget=DateInput)
    until = forms.DateField(label="Au", required=False, widget=DateInput)

    def __init__(self, data, *, structure):
        super().__init__(data)
        self.accesses = accesses_to_records_of(structure)
        users = (
            get_user_model()
            .objects.filter(pk__in=self.accesses.values("user_id"))
            .order_by("last_name", "first_name", "email")
        )
        self.fields["user"].choices = [("", "Tous")] + [(u.pk, str(u)) for u in users]
        structures = Structure.objects.filter(
            pk__in=self.accesses.values("acting_structure_id")
        ).order_by("name")
        self.fields["acting_structure"].choices = [("", "Toutes")] + [
            (s.pk, s.name) for s in structures
        ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "La fin de la période précède son début.")
        return cleaned

    def filtered(self):
        """The accesses the filters keep: all without filters, none while one is invalid."""
        accesses = self.accesses
        if not self.is_bound:
            return accesses
        if not self.is_valid():
            return accesses.none()
        values = self.cleaned_data
        if values["person"]:
            accesses = accesses.filter(subject_label__icontains=values["person"])
        if values["user"]:
            accesses = accesses.filter(user_id=values["user"])
        if values["acting_structure"]:
            accesses = accesses.filter(acting_structure_id=values["acting_structure"])
        if values["since"]:
            accesses = accesses.filter(accessed_at__date__gte=values["since"])
        if values["until"]:
            accesses = accesses.filter(accessed_at__date__lte=values["until"])
        return accesses

    def visits(self):
        return grouped_visits(self.filtered())


COLUMNS = (
    ("Dossier", lambda visit: visit.subject_label),
    ("Utilisateur", lambda visit: visit.user_name),
    ("Au titre de", lambda visit: visit.acting_structure),
    ("Première ouverture", lambda visit: _local(visit.first)),
    ("Dernière ouverture", lambda visit: _local(visit.last)),
    ("Ouvertures", lambda visit: visit.count),
)


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


def visits_workbook(visits):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Journal des accès")
    header = []
    for title, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for visit in visits:
        row = []
        for _, value in COLUMNS:
            cell = WriteOnlyCell(sheet, value=value(visit))
            if cell.is_date:
                cell.number_format = "DD/MM/YYYY HH:MM"
            row.append(cell)
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
