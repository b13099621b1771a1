"""Forms of the GPEC toolkit. The skills matrix is read straight from the posted cells
(``matrix_cells``): one select per employee and skill, « non évalué » when empty."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tisserand.companies.models import GpecEmployee, GpecPosition, Level
from tisserand.core.forms import DateInput
from tisserand.core.pickers import PickerField, PickerWidget

REQUIRED_CHOICES = [(1, "1 — en apprentissage"), (2, "2 — autonome"), (3, "3 — expert")]
CELL_PREFIX = "niveau"


class PortalPickerWidget(PickerWidget):
    """A picker whose proposals come from the portal's own endpoint (a leader acts for no
    structure, so the socle's ``/choix/`` refuses them)."""

    def __init__(self, picker_name, url, attrs=None):
        self.url = url
        super().__init__(picker_name, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["url"] = self.url
        return context


class PositionForm(forms.Form):
    appellation = PickerField("appellation", label="Métier (appellation ROME)")
    title = forms.CharField(
        label="Intitulé du poste dans l'entreprise",
        max_length=200,
        required=False,
        help_text="Facultatif : l'intitulé du métier sinon.",
    )

    def __init__(self, *args, picker_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        if picker_url:
            field = self.fields["appellation"]
            field.widget = PortalPickerWidget("appellation", picker_url)


class PositionSkillForm(forms.Form):
    label = forms.CharField(label="Compétence à ajouter", max_length=300)
    required_level = forms.TypedChoiceField(
        label="Niveau attendu", choices=REQUIRED_CHOICES, coerce=int, initial=2
    )
    is_core = forms.BooleanField(label="Cœur de métier", required=False)


class EmployeeForm(forms.ModelForm):
    class Meta:
        model = GpecEmployee
        fields = ["alias", "position", "birth_year", "hire_year", "is_fixed_term", "contract_end"]
        widgets = {"contract_end": DateInput()}
        help_texts = {
            "alias": "Un prénom ou un pseudonyme : aucune autre donnée personnelle.",
            "contract_end": "Seulement pour un contrat à durée déterminée.",
        }

    def __init__(self, *args, establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = GpecPosition.objects.filter(
            establishment=establishment
        ).order_by("title")
        year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update({"min": year - 80, "max": year - 15})
        self.fields["hire_year"].widget.attrs.update({"min": year - 66, "max": year})


class RetirementForm(forms.Form):
    retirement_age = forms.IntegerField(
        label="Âge de départ à la retraite retenu", min_value=55, max_value=70, initial=64
    )


def cell_name(employee, skill):
    return f"{CELL_PREFIX}-{employee.pk}-{skill.pk}"


LEVEL_CHOICES = [("", "non évalué"), *[(str(value), label) for value, label in Level.choices]]


def matrix_cells(post, employees, skills):
    """{(employee pk, skill pk): level or None} of the posted grid, and the French errors (a
    cell outside 0–3 names the person and the skill)."""
    cells, errors = {}, []
    for employee in employees:
        for skill in skills:
            name = cell_name(employee, skill)
            if name not in post:
                continue
            raw = post.get(name, "").strip()
            if raw == "":
                cells[(employee.pk, skill.pk)] = None
            elif raw in {"0", "1", "2", "3"}:
                cells[(employee.pk, skill.pk)] = int(raw)
            else:
                errors.append(f"{employee} — {skill} : le niveau va de 0 à 3 (« {raw} »).")
    return cells, errors


def picker_url(public_id):
    return reverse("companies:portal_picker", args=[public_id])


def _options(selected):
    return "".join(
        f'<option value="{value}"{" selected" if value == selected else ""}>{label}</option>'
        for value, label in LEVEL_CHOICES
    )


# The five possible option lists, built once: a grid of thousands of cells renders fast.
OPTIONS = {value: _options(value) for value, _ in LEVEL_CHOICES}


def cell_select(employee, skill, value, required):
    """One cell of the grid: its label (hidden, read by screen readers), its select and the
    position's required level."""
    hint = (
        format_html('<span class="field__hint">attendu : {}</span>', required) if required else ""
    )
    return format_html(
        '<label class="visually-hidden" for="c-{}-{}">{} — {}</label>'
        '<select name="{}" id="c-{}-{}">{}</select>{}',
        employee.pk,
        skill.pk,
        employee,
        skill,
        cell_name(employee, skill),
        employee.pk,
        skill.pk,
        mark_safe(OPTIONS[value]),  # noqa: S308 - built from constants above
        hint,
    )
