from django import forms

from tisserand.core.forms import PhoneField
from tisserand.core.pickers import PickerField
from tisserand.referentials.uploads import ImportFileField
from tisserand.referrals import thematics as thematic_data
from tisserand.referrals.importing import MAX_BYTES
from tisserand.referrals.models import (
    Fees,
    MobilisationMode,
    Public,
    RefusalReason,
    Service,
    Thematic,
)
from tisserand.referrals.services import ACCEPT, ASK, REFUSE, shareable_scopes


class SearchForm(forms.Form):
    thematique = forms.ChoiceField(label="Thématique", required=False)
    commune = PickerField(
        "commune",
        label="Commune de la personne",
        required=False,
    )
    public = forms.ChoiceField(
        label="Public", required=False, choices=[("", "Tous les publics"), *Public.choices]
    )
    sur_place = forms.BooleanField(label="Accueil sur place", required=False)
    a_distance = forms.BooleanField(label="Accueil à distance", required=False)
    q = forms.CharField(label="Mots-clés", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematique"].choices = [
            ("", "Toutes les thématiques"),
            *thematic_data.choices(),
        ]
        self.fields["commune"].help_text = (
            "Les services dont la zone d'éligibilité couvre cette commune, les plus proches "
            "d'abord."
        )


class ServiceForm(forms.ModelForm):
    thematics = forms.ModelMultipleChoiceField(
        label="Thématiques (data·inclusion)",
        queryset=Thematic.objects.filter(parent__isnull=False).select_related("parent"),
        to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="Au moins une. Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
        required=False,
    )
    publics = forms.MultipleChoiceField(
        label="Publics visés",
        choices=Public.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Aucun coché : tous publics.",
    )
    mobilisation_modes = forms.MultipleChoiceField(
        label="Comment mobiliser le service",
        choices=MobilisationMode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    zone_codes = forms.CharField(
        label="Zone d'éligibilité",
        help_text="Codes séparés par des virgules : codes INSEE de communes (59512), SIREN "
        "d'EPCI (200093201 pour la MEL), numéros de départements (59) ou « france ».",
        max_length=2000,
        required=False,
    )
    commune = PickerField("commune", label="Commune du lieu d'accueil", required=False)
    phone = PhoneField(label="Téléphone", required=False)
    mobilisation_link = forms.URLField(
        label="Lien de mobilisation", required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "description",
            "fees",
            "fees_details",
            "publics_details",
            "access_conditions",
            "address_line",
            "address_complement",
            "postal_code",
            "commune",
            "on_site",
            "remote",
            "by_professionals",
            "by_residents",
            "mobilisation_link",
            "mobilisation_details",
            "email",
            "phone",
            "weekly_hours",
            "weeks",
            "opening_hours",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "access_conditions": forms.Textarea(attrs={"rows": 2}),
            "mobilisation_details": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"opening_hours": "Par exemple « Mo-Fr 09:00-12:00,14:00-17:00 »."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fees"].choices = [("", "Non précisé"), *Fees.choices]
        self.fields["thematics"].label_from_instance = lambda t: f"{t.parent.label} — {t.label}"
        if self.instance.pk:
            self.initial["thematics"] = list(self.instance.thematics.all())
            self.initial["zone_codes"] = ", ".join(z.code for z in self.instance.zones.all())
            self.initial["publics"] = self.instance.publics
            self.initial["mobilisation_modes"] = self.instance.mobilisation_modes
            self.initial["commune"] = self.instance.commune

    def clean_zone_codes(self):
        text = self.cleaned_data.get("zone_codes") or ""
        return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]

    def values(self):
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["thematics"] = list(self.cleaned_data.get("thematics") or [])
        data["zone_codes"] = self.cleaned_data.get("zone_codes") or []
        data["publics"] = self.cleaned_data.get("publics") or []
        data["mobilisation_modes"] = self.cleaned_data.get("mobilisation_modes") or []
        return data


class ReferralForm(forms.Form):
    message = forms.CharField(
        label="Message au service",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text="Le besoin de la personne et ce que vous attendez du service.",
    )
    scopes = forms.MultipleChoiceField(
        label="Informations que la personne accepte de partager",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(
        label="La personne a donné son accord pour ce partage avec le service et sa structure",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = shareable_scopes()


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label="Votre réponse",
        choices=[
            (ACCEPT, "Accepter l'orientation"),
            (REFUSE, "Refuser l'orientation"),
            (ASK, "Demander des précisions"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label="Motif du refus",
        choices=[("", "—"), *RefusalReason.choices],
        required=False,
        help_text="Obligatoire pour un refus ; la personne qui oriente le verra.",
    )
    message = forms.CharField(
        label="Message", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )


class LinkAnswerForm(AnswerForm):
    name = forms.CharField(
        label="Votre nom et votre fonction",
        max_length=200,
        help_text="La personne qui oriente saura qui a répondu.",
    )
    field_order = ["name", "decision", "reason", "message"]


class InformationForm(forms.Form):
    message = forms.CharField(
        label="Précisions à transmettre", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )


class ImportForm(forms.Form):
    file = ImportFileField(
        max_bytes=MAX_BYTES,
        label="Fichier data·inclusion (JSON ou CSV)",
        help_text="Structures ou services au schéma data·inclusion ;",
    )
