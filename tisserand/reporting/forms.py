from django import forms

from tisserand.accompaniment.models import Programme
from tisserand.core.forms import DateInput
from tisserand.reporting import indicators
from tisserand.reporting.models import Convention, NafSphere, Sphere
from tisserand.structures.models import Structure, StructureKind


class PeriodForm(forms.Form):
    debut = forms.DateField(label="Du", required=False, widget=DateInput)
    fin = forms.DateField(label="Au", required=False, widget=DateInput)
    programme = forms.ModelChoiceField(
        label="Programme",
        required=False,
        queryset=Programme.objects.all(),
        empty_label="Tous les programmes",
        to_field_name="code",
    )
    territoire = forms.ChoiceField(
        label="Territoire",
        required=False,
        choices=[
            ("", "Tout le territoire"),
            *[(k, v) for k, v in indicators.Territory.KINDS.items()],
        ],
    )
    code = forms.CharField(
        label="Code du territoire (INSEE, QPV, bassin, SIREN de l'EPCI)",
        required=False,
        max_length=9,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("debut"), cleaned.get("fin")
        if start and end and end < start:
            self.add_error("fin", "La fin de la période précède son début.")
        return cleaned


class ConventionForm(forms.ModelForm):
    class Meta:
        model = Convention
        fields = [
            "name",
            "funder_kind",
            "funder_structure",
            "reference",
            "starts_on",
            "ends_on",
            "structures",
            "programmes",
        ]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "structures": forms.CheckboxSelectMultiple,
            "programmes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder_structure"].queryset = Structure.objects.filter(
            kind=StructureKind.FUNDER, is_active=True
        )
        self.fields["structures"].queryset = Structure.objects.filter(is_active=True).exclude(
            kind=StructureKind.FUNDER
        )
        self.fields["programmes"].queryset = Programme.objects.filter(is_active=True)
        self.fields["programmes"].required = False

    def values(self):
        return dict(self.cleaned_data)


class ObjectiveForm(forms.Form):
    indicator = forms.ChoiceField(label="Indicateur")
    target = forms.DecimalField(
        label="Cible",
        min_value=0,
        max_digits=10,
        decimal_places=1,
        help_text="Un nombre de personnes, ou un pourcentage pour un taux.",
    )
    starts_on = forms.DateField(
        label="Début de la période de la cible",
        required=False,
        widget=DateInput,
        help_text="Par défaut : celle de la convention.",
    )
    ends_on = forms.DateField(
        label="Fin de la période de la cible", required=False, widget=DateInput
    )
    comment = forms.CharField(label="Précision", required=False, max_length=250)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—"), *indicators.choices()]


class NafSphereForm(forms.ModelForm):
    class Meta:
        model = NafSphere
        fields = ["sphere", "explanation"]
        widgets = {
            "sphere": forms.RadioSelect(choices=Sphere.choices),
            "explanation": forms.Textarea(attrs={"rows": 3}),
        }
