"""Forms of the company records: search and filters, creation from a SIRET, edition,
contacts, tags, officer."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from tisserand.companies import selectors
from tisserand.companies.imports import MAX_BYTES as MAX_IMPORT_BYTES
from tisserand.companies.models import Contact, Establishment, HeadcountBand, Tag
from tisserand.companies.records_rules import SIRET_MESSAGE, is_valid_siret, normalise_siret
from tisserand.core.forms import DateInput, PhoneField
from tisserand.core.pickers import PickerField
from tisserand.referentials.geo.models import BassinEmploi, Epci
from tisserand.referentials.rome.models import NafSection
from tisserand.referentials.uploads import ImportFileField
from tisserand.structures.models import Membership
from tisserand.structures.roles import Capability, roles_with


class SiretField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "SIRET")
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", "14 chiffres, espaces permis (123 456 789 00012).")
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = normalise_siret(super().clean(value))
        if value and not is_valid_siret(value):
            raise forms.ValidationError(SIRET_MESSAGE, code="invalid_siret")
        return value


class SiretForm(forms.Form):
    siret = SiretField()


STATE_CHOICES = [
    (selectors.ACTIVE, "En activité"),
    (selectors.CLOSED, "Fermées"),
    (selectors.ALL, "Toutes"),
]


class CompanySearchForm(forms.Form):
    q = forms.CharField(label="Nom ou SIRET", required=False, max_length=100)
    commune = PickerField("commune", label="Commune", required=False)
    epci = forms.ModelChoiceField(
        label="Intercommunalité (EPCI)", queryset=Epci.objects.none(), required=False
    )
    bassin = forms.ModelChoiceField(
        label="Bassin d'emploi", queryset=BassinEmploi.objects.none(), required=False
    )
    naf_section = forms.ModelChoiceField(
        label="Secteur (section NAF)", queryset=NafSection.objects.all(), required=False
    )
    naf = PickerField("naf", label="Code NAF", required=False)
    headcount_band = forms.ChoiceField(
        label="Tranche d'effectif",
        choices=[("", "Toutes")] + list(HeadcountBand.choices),
        required=False,
    )
    flag = forms.ChoiceField(
        label="Particularité",
        choices=[("", "Toutes")] + [(key, label) for key, (label, _) in selectors.FLAGS.items()],
        required=False,
    )
    tag = forms.ModelChoiceField(label="Étiquette", queryset=Tag.objects.all(), required=False)
    officer = forms.ModelChoiceField(
        label="Chargé·e de relation", queryset=get_user_model().objects.none(), required=False
    )
    state = forms.ChoiceField(
        label="État", choices=STATE_CHOICES, required=False, initial=selectors.ACTIVE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the territories that have companies (kept in the cache), and the members who
        # may be officers: short lists.
        epcis, bassins = selectors.territories_with_companies()
        self.fields["epci"].queryset = Epci.objects.filter(pk__in=epcis)
        self.fields["bassin"].queryset = BassinEmploi.objects.filter(pk__in=bassins)
        self.fields["officer"].queryset = officers()
        for name in ("epci", "bassin", "naf_section", "tag", "officer"):
            self.fields[name].empty_label = "Tous" if name != "tag" else "Toutes"

    def filters(self):
        if not self.is_valid():
            return selectors.CompanyFilters()
        data = self.cleaned_data
        return selectors.CompanyFilters(
            query=data["q"].strip(),
            commune=data["commune"],
            epci=data["epci"],
            bassin=data["bassin"],
            naf_section=data["naf_section"],
            naf=data["naf"],
            headcount_band=data["headcount_band"],
            flag=data["flag"],
            tag=data["tag"],
            officer=data["officer"],
            state=data["state"] or selectors.ACTIVE,
        )


def officers():
    """The users who may be in charge of a company: active members whose role manages them."""
    members = Membership.objects.filter(
        is_active=True, role__in=roles_with(Capability.MANAGE_COMPANIES)
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=members, is_active=True)
        .order_by("last_name", "first_name", "pk")
    )


class EstablishmentForm(forms.ModelForm):
    """Identity, activity, address and flags of a record."""

    legal_name = forms.CharField(label="Dénomination de l'unité légale", max_length=250)
    is_individual = forms.BooleanField(label="Entrepreneur individuel", required=False)
    naf = PickerField("naf", label="Code NAF", required=False)
    commune = PickerField(
        "commune",
        label="Commune",
        required=False,
        help_text="Nom ou code postal, puis choisissez une proposition.",
    )

    class Meta:
        model = Establishment
        fields = [
            "name",
            "naf",
            "headcount_band",
            "is_head_office",
            "created_on",
            "diffusion",
            "address_line",
            "postal_code",
            "commune",
            "insertion_kind",
            "adapted_kind",
            "is_geiq",
            "is_social_economy",
        ]
        widgets = {"created_on": DateInput()}
        help_texts = {
            "name": "Laissez vide si c'est la dénomination de l'unité légale.",
            "diffusion": "Non diffusible : l'adresse, et le nom d'un entrepreneur individuel, "
            "ne sont affichés nulle part.",
        }

    field_order = ["legal_name", "is_individual"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The pickers show the entry, not its primary key.
            self.initial["naf"] = self.instance.naf
            self.initial["commune"] = self.instance.commune
            self.fields["legal_name"].initial = self.instance.legal_unit.name
            self.fields["is_individual"].initial = self.instance.legal_unit.is_individual
        self.fields["postal_code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code"}
        )

    def values(self):
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["legal_name"] = self.cleaned_data["legal_name"].strip()
        data["is_individual"] = self.cleaned_data["is_individual"]
        data["postal_code"] = (data["postal_code"] or "").strip()
        return data


class EditForm(EstablishmentForm):
    """The edition also records a closure (or a reopening) noticed outside SIRENE."""

    class Meta(EstablishmentForm.Meta):
        fields = [*EstablishmentForm.Meta.fields, "state", "closed_on"]
        widgets = {**EstablishmentForm.Meta.widgets, "closed_on": DateInput()}
        help_texts = {
            **EstablishmentForm.Meta.help_texts,
            "closed_on": "Seulement pour un établissement fermé.",
        }

    def clean(self):
        data = super().clean()
        if data.get("state") == "A":
            data["closed_on"] = None
        elif data.get("closed_on") and data["closed_on"] > timezone.localdate():
            self.add_error("closed_on", "La date de fermeture ne peut pas être dans le futur.")
        return data


class CreationForm(EstablishmentForm):
    siret = SiretField()
    field_order = ["siret", "legal_name", "is_individual"]


class ConfirmSimilarForm(forms.Form):
    confirm_similar = forms.BooleanField(
        label="Il s'agit bien d'un autre établissement : créer la fiche", required=False
    )


class ContactForm(forms.ModelForm):
    phone = PhoneField(label="Téléphone", required=False)

    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "email",
            "phone",
            "consents_to_contact",
            "consent_given_on",
        ]
        widgets = {"consent_given_on": DateInput()}
        help_texts = {
            "consents_to_contact": "La personne a accepté d'être contactée par le réseau.",
            "consent_given_on": "Date de l'accord ; aujourd'hui si vous la laissez vide.",
        }

    def clean(self):
        data = super().clean()
        # A consent given without its date is dated today (as the service does), so that the
        # record's constraint holds when the form checks it.
        if data.get("consents_to_contact") and not data.get("consent_given_on"):
            data["consent_given_on"] = timezone.localdate()
        if not data.get("consents_to_contact"):
            data["consent_given_on"] = None
        return data

    def values(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class TagsForm(forms.Form):
    tags = forms.CharField(
        label="Étiquettes",
        required=False,
        max_length=1000,
        help_text="Séparées par des virgules, par exemple : textile, recrute, club RH.",
    )

    def values(self):
        return {"tags": list(self.cleaned_data["tags"].split(","))}


class OfficerForm(forms.Form):
    officer = forms.ModelChoiceField(
        label="Chargé·e de relation",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Personne",
    )

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(
            structure=structure,
            is_active=True,
            role__in=roles_with(Capability.MANAGE_COMPANIES),
        ).values("user_id")
        self.fields["officer"].queryset = (
            get_user_model()
            .objects.filter(pk__in=members, is_active=True)
            .order_by("last_name", "first_name")
        )
        self.fields["officer"].label_from_instance = lambda u: u.get_full_name() or u.email

    def values(self):
        return {"officer": self.cleaned_data["officer"]}


IMPORT_KIND_CHOICES = [
    ("", "Reconnaître d'après les colonnes"),
    ("sirene", "Stock SIRENE des établissements (CSV)"),
    ("template", "Modèle de la maison (CSV ou XLSX)"),
]


class ImportForm(forms.Form):
    file = ImportFileField(
        max_bytes=MAX_IMPORT_BYTES,
        help_text="CSV en UTF-8 (séparateur virgule, point-virgule ou tabulation) ou classeur "
        "XLSX ;",
    )
    kind = forms.ChoiceField(label="Type de fichier", choices=IMPORT_KIND_CHOICES, required=False)
    communes = forms.CharField(
        label="Communes (codes INSEE)",
        required=False,
        max_length=2000,
        help_text="Stock SIRENE : gardez seulement ces communes, par exemple 59512, 59599.",
    )
    bassin = forms.ModelChoiceField(
        label="ou un bassin d'emploi",
        queryset=BassinEmploi.objects.order_by("name"),
        required=False,
        empty_label="—",
    )
    epci = forms.ModelChoiceField(
        label="ou une intercommunalité (EPCI)",
        queryset=Epci.objects.order_by("name"),
        required=False,
        empty_label="—",
    )

    def clean_communes(self):
        from tisserand.referentials.geo.models import Commune

        codes = [
            code.strip().upper()
            for code in self.cleaned_data["communes"].replace(";", ",").replace(" ", ",").split(",")
        ]
        codes = [code for code in codes if code]
        found = list(Commune.objects.filter(insee_code__in=codes).order_by("name"))
        unknown = sorted(set(codes) - {commune.insee_code for commune in found})
        if unknown:
            raise forms.ValidationError("Code INSEE inconnu : " + ", ".join(unknown) + ".")
        return found

    def clean(self):
        data = super().clean()
        chosen = [
            bool(data.get("communes")),
            data.get("bassin") is not None,
            data.get("epci") is not None,
        ]
        if sum(chosen) > 1:
            raise forms.ValidationError(
                "Choisissez un seul territoire : des communes, un bassin ou un EPCI."
            )
        return data
