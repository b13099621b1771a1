from django import forms

from tisserand.clauses.models import (
    Buyer,
    Contract,
    CriterionSource,
    EligibilityCriterion,
    HoursMode,
    Lot,
    Modality,
    Operation,
    Outcome,
    Participant,
)
from tisserand.companies.models import Establishment
from tisserand.core.documents import DocumentField
from tisserand.core.forms import DateInput
from tisserand.referentials.uploads import MEGABYTE, ImportFileField

CONSENT_TEXT = (
    "La personne accepte que son profil (prénom, métier visé, compétences confirmées) soit "
    "transmis au titulaire du lot pour un emploi au titre de la clause sociale."
)
SHARE_HINT = "Une fraction entre 0 et 1 : 0,5 pour 50 %."


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Le mois (aaaa-mm).")
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class BuyerForm(forms.ModelForm):
    class Meta:
        model = Buyer
        fields = ["kind", "name", "siret"]


class OperationForm(forms.ModelForm):
    class Meta:
        model = Operation
        fields = ["programme", "name", "starts_on", "ends_on", "qpv_codes", "qpv_share", "buyers"]
        widgets = {
            "starts_on": DateInput,
            "ends_on": DateInput,
            "buyers": forms.CheckboxSelectMultiple,
        }
        help_texts = {"qpv_share": SHARE_HINT}

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyers"].queryset = Buyer.objects.filter(structure=structure)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "La fin de l'opération précède son début.")
        return data


class CoefficientForm(forms.Form):
    modality = forms.ChoiceField(label="Modalité", choices=Modality.choices)
    coefficient = forms.DecimalField(
        label="Coefficient", min_value=0, max_value=5, decimal_places=2,
        help_text="1 : une heure compte une heure ; 0,5 : une heure compte pour moitié.",
    )  # fmt: skip


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "buyer",
            "reference",
            "object",
            "cpv_code",
            "amount",
            "nature",
            "starts_on",
            "ends_on",
        ]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = operation.buyers.all()
        self.fields["amount"].min_value = 0
        self.fields["amount"].widget.attrs["min"] = 0

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "La fin d'exécution précède son début.")
        return data


class EstablishmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.siret})"


class EstablishmentsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.siret})"


class LotForm(forms.ModelForm):
    holder = EstablishmentChoice(label="Titulaire", queryset=Establishment.objects.none())
    co_contractors = EstablishmentsChoice(
        label="Cotraitants", queryset=Establishment.objects.none(), required=False
    )
    subcontractors = EstablishmentsChoice(
        label="Sous-traitants", queryset=Establishment.objects.none(), required=False
    )
    hours_owed = forms.DecimalField(
        label="Heures dues (si saisies)", required=False, min_value=0, decimal_places=1,
        help_text="Seulement quand les heures ne sont pas calculées.",
    )  # fmt: skip

    class Meta:
        model = Lot
        fields = [
            "number",
            "label",
            "holder",
            "co_contractors",
            "subcontractors",
            "amount",
            "legal_form",
            "hours_mode",
            "labour_share",
            "insertion_rate",
            "hourly_cost",
        ]
        widgets = {"hours_mode": forms.RadioSelect}
        help_texts = {
            "labour_share": "Part de main-d'œuvre du métier : " + SHARE_HINT,
            "insertion_rate": "Taux d'insertion : 0,05 pour 5 %.",
            "hourly_cost": "Coût horaire chargé, en euros (par exemple 30).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        companies = Establishment.objects.select_related("legal_unit").order_by("name", "id")
        for name in ("holder", "co_contractors", "subcontractors"):
            self.fields[name].queryset = companies
        for name in ("labour_share", "insertion_rate", "hourly_cost", "amount"):
            self.fields[name].widget.attrs.update({"min": 0, "step": "any"})
        self.fields["hours_mode"].initial = HoursMode.COMPUTED
        if self.instance.pk and self.instance.hours_mode == HoursMode.ENTERED:
            self.fields["hours_owed"].initial = self.instance.hours_owed

    def values(self):
        values = {name: self.cleaned_data.get(name) for name in self._meta.fields}
        values["hours_owed"] = self.cleaned_data.get("hours_owed")
        return values


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "qpv_at_start",
            "level",
            "modality",
            "employer",
            "starts_on",
            "ends_on",
        ]
        widgets = {"birth_date": DateInput, "starts_on": DateInput, "ends_on": DateInput}
        help_texts = {
            "modality": "Les heures déjà déclarées gardent la modalité de leur déclaration.",
            "starts_on": "L'éligibilité s'apprécie à cette date : les preuves doivent la précéder.",
        }

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"] = EstablishmentChoice(
            label="Employeur",
            required=False,
            queryset=Establishment.objects.select_related("legal_unit").order_by("name", "id"),
        )
        if person is not None:
            # What the record knows is taken from it, not retyped.
            for name in ("first_name", "last_name", "birth_date", "gender", "qpv_at_start"):
                del self.fields[name]

    def values(self):
        return dict(self.cleaned_data)


class CriterionForm(forms.Form):
    criterion = forms.ModelChoiceField(
        label="Critère", queryset=EligibilityCriterion.objects.filter(is_active=True)
    )
    source = forms.ChoiceField(
        label="Preuve", choices=CriterionSource.choices, initial=CriterionSource.DOCUMENT,
        widget=forms.RadioSelect,
    )  # fmt: skip
    assessed_on = forms.DateField(label="Date de la preuve", widget=DateInput)
    proof = DocumentField(label="Pièce justificative", required=False)
    note = forms.CharField(label="Précision", max_length=250, required=False)


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["ends_on", "outcome_at_end", "outcome_6_months"]
        widgets = {"ends_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("outcome_at_end", "outcome_6_months"):
            self.fields[name].choices = [("", "Pas encore connue"), *Outcome.choices]


class DeclarationForm(forms.Form):
    participant = forms.ModelChoiceField(label="Participant", queryset=Participant.objects.none())
    month = MonthField(label="Mois")
    hours = forms.DecimalField(label="Heures", decimal_places=1, widget=forms.NumberInput())

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["hours"].widget.attrs.update({"step": "0.5"})


class PortalDeclarationForm(forms.Form):
    """The holder's contact: a participant known by first name, a month, the hours."""

    participant = forms.ModelChoiceField(label="Salarié", queryset=Participant.objects.none())
    month = MonthField(label="Mois")
    hours = forms.DecimalField(label="Heures travaillées", decimal_places=1)

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants
        self.fields["participant"].label_from_instance = lambda p: p.first_name
        self.fields["hours"].widget.attrs.update({"step": "0.5"})


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Motif de la réouverture", max_length=200)


class UploadForm(forms.Form):
    # A DECP file travels back signed in the confirmation form: small enough for a form field.
    file = ImportFileField(max_bytes=2 * MEGABYTE)


class YearForm(forms.Form):
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)


class CriterionDefinitionForm(forms.ModelForm):
    class Meta:
        model = EligibilityCriterion
        fields = ["label", "code", "order"]
        help_texts = {
            "code": "Identifiant stable (lettres, chiffres, tirets), par exemple « deld »."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = "Rang dans la liste (100 par défaut)."


class RepresentativeForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail du représentant",
        help_text="Le compte existe déjà ; il lira les chiffres du donneur d'ordre, jamais les "
        "identités des participants.",
    )


class ProposeCandidateForm(forms.Form):
    """A person the facilitator sees, put forward for a lot's clause job, with their consent."""

    person = forms.ModelChoiceField(
        label="Personne proposée",
        queryset=None,
        to_field_name="public_id",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez la personne à proposer.",
            "invalid_choice": "Cette personne n'est pas parmi celles que vous suivez.",
        },
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        required=True,
        error_messages={"required": "Recueillez l'accord de la personne avant de la proposer."},
    )
    message = forms.CharField(
        label="Message au titulaire (sans donnée de santé ni de situation sociale)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
