"""Forms of the people app. Dates of facts may be past (back-dating is normal), never future."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac

from tisserand.core.documents import DocumentField
from tisserand.core.forms import DateInput, PhoneField, model_values
from tisserand.core.pickers import PickerField
from tisserand.people.consent_rules import consent_recipients, honoured_scope_choices
from tisserand.people.derived_statuses import DERIVED_KINDS
from tisserand.people.location import AddressError, check_commune, locate
from tisserand.people.models import (
    SPECIAL_CATEGORY_KINDS,
    Consent,
    Note,
    NoteVisibility,
    Person,
    PublicStatus,
    PublicStatusKind,
)
from tisserand.referentials.geo.models import Qpv
from tisserand.referentials.vocabularies.api import QUALIFICATION_LEVEL
from tisserand.referentials.vocabularies.forms import EMPTY_CHOICE, TermChoiceField
from tisserand.structures.models import Structure

OLDEST_BIRTH_DATE = datetime.date(1900, 1, 1)
MINIMUM_AGE = 14
POSTAL_CODE = re.compile(r"^[0-9]{5}$")
# The France Travail (ex-Pôle emploi) identifier of a job seeker: 8 characters, 7 digits then a
# digit or a letter (« 1234567A »), as the public services of the field check it (gip-inclusion
# les-emplois). Spaces are dropped and letters upper-cased before checking.
FRANCE_TRAVAIL_ID = re.compile(r"^[0-9]{7}[0-9A-Z]$")
ADDRESS_FIELDS = ("address_line", "postal_code", "commune")


def date_field(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=help_text,
    )


def check_not_future(value, what="Cette date"):
    """Facts are dated today or earlier; French error otherwise."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(
            f"{what} ne peut pas être dans le futur (au plus tard aujourd'hui, "
            f"le {timezone.localdate():%d/%m/%Y}).",
            code="future",
        )


def check_france_travail_id(value):
    """The identifier normalised (no spaces, capitals), or a French error on its format."""
    value = re.sub(r"\s", "", value).upper()
    if value and not FRANCE_TRAVAIL_ID.match(value):
        raise ValidationError(
            "L'identifiant France Travail compte 8 caractères : 7 chiffres suivis d'un chiffre "
            "ou d'une lettre, par exemple 1234567A.",
            code="france_travail_id",
        )
    return value


def check_birth_date(value):
    check_not_future(value, "La date de naissance")
    if value < OLDEST_BIRTH_DATE:
        raise ValidationError("Date de naissance impossible : vérifiez l'année.", code="too_old")
    today = timezone.localdate()
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < MINIMUM_AGE:
        raise ValidationError(
            f"La personne aurait {age} ans : vérifiez la date de naissance "
            f"(au moins {MINIMUM_AGE} ans).",
            code="too_young",
        )


class PersonForm(forms.ModelForm):
    """Identity, contact, address and situation of a person; geocodes a changed address."""

    birth_date = date_field("Date de naissance", required=True, help_text="jj/mm/aaaa")
    phone = PhoneField(label="Téléphone", required=False)
    commune = PickerField(
        "commune",
        label="Commune",
        required=False,
        help_text="Nom ou code postal, puis choisissez une proposition.",
    )
    situation_since = date_field("Dans cette situation depuis")
    job_seeker_since = date_field("Date d'inscription à France Travail")
    # Longer than the 8 stored characters: spaces typed are dropped before the format is checked.
    france_travail_id = forms.CharField(
        label="Identifiant France Travail",
        required=False,
        max_length=20,
        help_text="8 caractères : 7 chiffres puis un chiffre ou une lettre.",
    )
    qualification_level = TermChoiceField(
        QUALIFICATION_LEVEL, label="Niveau de qualification", required=False
    )
    languages = forms.CharField(
        label="Langues parlées",
        required=False,
        max_length=250,
        help_text="Séparées par des virgules, par exemple : français, arabe, anglais.",
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "birth_name",
            "birth_date",
            "gender",
            "email",
            "phone",
            "email_reminders_opt_out",
            "sms_reminders_consent",
            "address_line",
            "address_complement",
            "postal_code",
            "situation",
            "situation_since",
            "job_seeker_since",
            "france_travail_id",
            "referrer_structure",
            "referrer_outside",
            "referrer_person",
            "qualification_level",
            "driving_licence",
            "has_vehicle",
            "availability",
            "availability_note",
        ]
        widgets = {"gender": forms.RadioSelect, "situation": forms.RadioSelect}
        help_texts = {
            "birth_name": "Si différent du nom d'usage.",
            "postal_code": "5 chiffres.",
            "referrer_structure": "La structure du réseau qui a orienté la personne.",
            "referrer_outside": "Sinon, le nom de la structure hors réseau (CCAS, association…).",
            "referrer_person": "Nom et fonction du professionnel qui a orienté la personne.",
        }

    field_order = [
        *Meta.fields[:12],
        "commune",
        *Meta.fields[12:15],
        "qualification_level",
        "languages",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.location = None
        self.fields["referrer_structure"].queryset = Structure.objects.filter(is_active=True)
        self.fields["referrer_structure"].empty_label = "— Aucune —"
        for name in ("first_name", "last_name", "birth_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            self.initial["commune"] = self.instance.commune
            self.initial["languages"] = ", ".join(self.instance.languages)

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        check_birth_date(value)
        return value

    def clean_situation_since(self):
        value = self.cleaned_data["situation_since"]
        check_not_future(value, "La date de début de la situation")
        return value

    def clean_job_seeker_since(self):
        value = self.cleaned_data["job_seeker_since"]
        check_not_future(value, "La date d'inscription")
        return value

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and not POSTAL_CODE.match(value):
            raise ValidationError("Un code postal compte 5 chiffres, par exemple 59100.")
        return value

    def clean_france_travail_id(self):
        return check_france_travail_id(self.cleaned_data["france_travail_id"])

    def clean_languages(self):
        parts = [part.strip() for part in self.cleaned_data["languages"].split(",")]
        return [part for part in dict.fromkeys(parts) if part]

    def clean(self):
        cleaned = super().clean()
        birth_date = cleaned.get("birth_date")
        for name in ("situation_since", "job_seeker_since"):
            value = cleaned.get(name)
            if value and birth_date and value < birth_date:
                self.add_error(name, "Cette date précède la date de naissance.")
        if cleaned.get("referrer_structure") and cleaned.get("referrer_outside"):
            self.add_error(
                "referrer_outside",
                "Indiquez une seule structure prescriptrice : du réseau ou hors réseau.",
            )
        if not any(name in self.errors for name in ADDRESS_FIELDS):
            self._check_address(cleaned)
        wants_sms = cleaned.get("sms_reminders_consent") and "phone" not in self.errors
        if wants_sms and not cleaned.get("phone"):
            self.add_error("phone", "Indiquez le numéro de téléphone auquel envoyer les SMS.")
        return cleaned

    def _check_address(self, cleaned):
        if cleaned.get("address_line") and not cleaned.get("postal_code"):
            self.add_error("postal_code", "Indiquez le code postal de l'adresse.")
            return
        try:
            commune = check_commune(cleaned.get("postal_code"), cleaned.get("commune"))
        except AddressError as error:
            self.add_error(error.field, error.message)
            return
        cleaned["commune"] = commune
        if not self.instance.pk or self._address_changed(cleaned):
            self.location = locate(cleaned.get("address_line"), cleaned["postal_code"], commune)

    def _address_changed(self, cleaned):
        person = self.instance
        return (
            cleaned.get("address_line", "") != person.address_line
            or cleaned.get("postal_code", "") != person.postal_code
            or getattr(cleaned.get("commune"), "pk", None) != person.commune_id
        )

    def _post_clean(self):
        super()._post_clean()
        if "languages" in self.cleaned_data:
            self.instance.languages = self.cleaned_data["languages"]

    def values(self):
        """The person's fields as typed, with the (re)geocoded address when it changed."""
        values = {
            **model_values(self),
            "commune": self.cleaned_data["commune"],
            "languages": self.cleaned_data["languages"],
        }
        if self.location is not None:
            values.update(self.location.values())
        return values


class DuplicateConfirmationForm(forms.Form):
    """After a duplicate warning: the user confirms this is another person."""

    confirmed = forms.BooleanField(
        label="J'ai vérifié : il s'agit d'une autre personne, je crée la fiche.", required=False
    )
    duplicates_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def confirms(self, key):
        return (
            self.is_valid()
            and self.cleaned_data["confirmed"]
            and (self.cleaned_data["duplicates_key"] == key)
        )


def duplicates_key(candidates):
    """A key of the set of candidates shown, so that a confirmation covers exactly them."""
    ids = ",".join(str(pk) for pk in sorted(c.person.pk for c in candidates))
    return salted_hmac("people.duplicates", ids).hexdigest()[:32]


class PublicStatusKindField(forms.ChoiceField):
    """The kinds a counsellor may type; a derived kind posted anyway is told why it is refused."""

    def validate(self, value):
        if value in DERIVED_KINDS and not self.valid_value(value):
            raise ValidationError(
                "Ce statut ne se saisit pas : il est déduit de la date de naissance ou de "
                "l'adresse géocodée et apparaît de lui-même.",
                code="derived_kind",
            )
        super().validate(value)


class PublicStatusForm(forms.ModelForm):
    kind = PublicStatusKindField(label="Statut", choices=EMPTY_CHOICE + PublicStatusKind.choices)
    valid_from = date_field("Valable depuis le", required=True, help_text="jj/mm/aaaa")
    valid_until = date_field(
        "Valable jusqu'au", help_text="Date de fin de validité, si elle est connue."
    )
    document = DocumentField(label="Pièce justificative (facultatif)", required=False)

    class Meta:
        model = PublicStatus
        fields = ["kind", "proof", "valid_from", "valid_until"]

    def __init__(self, *args, allow_special_category=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_special_category = allow_special_category
        field = self.fields["kind"]
        field.choices = [(kind, label) for kind, label in field.choices if self._offers(kind)]

    def _offers(self, kind):
        # A status stored before its kind was derived keeps its kind, so that it can be ended.
        if kind in DERIVED_KINDS:
            return kind == self.instance.kind
        return self.allow_special_category or kind not in SPECIAL_CATEGORY_KINDS

    def clean_valid_from(self):
        value = self.cleaned_data["valid_from"]
        check_not_future(value, "La date de début du statut")
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "La fin de validité précède son début.")
        return cleaned


class ConsentForm(forms.ModelForm):
    structure = forms.ModelChoiceField(
        label="Structure avec laquelle partager",
        queryset=Structure.objects.none(),
        empty_label="— Choisir —",
    )
    scopes = forms.MultipleChoiceField(
        label="Informations partagées",
        choices=(),  # the honoured scopes, read when the form is built
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une information partagée."},
        help_text="Les données sensibles (santé, handicap, justice) ne sont jamais partagées.",
    )
    given_on = date_field("Consentement donné le", required=True, help_text="jj/mm/aaaa")
    document = DocumentField(label="Consentement signé (facultatif)", required=False)

    class Meta:
        model = Consent
        fields = ["structure", "scopes"]

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = consent_recipients(person)
        self.fields["structure"].error_messages["invalid_choice"] = (
            "Cette structure ne peut pas recevoir de consentement : ses membres ne voient "
            "jamais les personnes accompagnées."
        )
        self.fields["scopes"].choices = honoured_scope_choices()
        self.initial.setdefault("given_on", timezone.localdate())
        self.instance.person = person

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        check_not_future(value, "La date du consentement")
        return value

    def _post_clean(self):
        super()._post_clean()
        given_on = self.cleaned_data.get("given_on")
        if given_on is not None:
            self.instance.given_at = _moment_of(given_on)


def _moment_of(day):
    """Now for today; noon of a past day (back-dated consent)."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class PersonDocumentForm(forms.Form):
    """A supporting document of the person: an eligibility proof, an exit's proof…"""

    label = forms.CharField(
        label="Nature du document",
        max_length=200,
        help_text="Par exemple : justificatif d'éligibilité au PLIE, attestation d'entrée en "
        "formation.",
    )
    issued_on = date_field("Date du document", required=True, help_text="jj/mm/aaaa")
    issuer = forms.CharField(
        label="Émis par", max_length=200, required=False, help_text="Organisme qui l'a délivré."
    )
    document = DocumentField(label="Fichier")

    def clean_issued_on(self):
        value = self.cleaned_data["issued_on"]
        check_not_future(value, "La date du document")
        return value


class QpvAttestationForm(forms.Form):
    """An official attestation of residence in a QPV: which one, its dates, its source, its file."""

    qpv = forms.ModelChoiceField(
        label="Quartier prioritaire",
        queryset=Qpv.objects.none(),
        empty_label="— Choisir —",
        error_messages={"required": "Choisissez le quartier prioritaire de l'attestation."},
    )
    issued_on = date_field("Attestation délivrée le", required=True, help_text="jj/mm/aaaa")
    valid_until = date_field("Valable jusqu'au", required=True, help_text="jj/mm/aaaa")
    issuer = forms.CharField(
        label="Source",
        max_length=200,
        help_text="Qui l'a délivrée : mairie, bailleur social, service de l'État (SIG Ville)…",
    )
    document = DocumentField(label="Attestation (fichier)")

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        qpvs = Qpv.objects.order_by("name")
        if person.commune_id is not None:
            qpvs = qpvs.filter(communes=person.commune_id)
        self.fields["qpv"].queryset = qpvs.defer("geometry")
        self.fields["qpv"].label_from_instance = lambda qpv: f"{qpv.name} ({qpv.code})"

    def clean_issued_on(self):
        value = self.cleaned_data["issued_on"]
        check_not_future(value, "La date de l'attestation")
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("issued_on"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "La fin de validité précède la date de l'attestation.")
        elif end and end < timezone.localdate():
            self.add_error(
                "valid_until",
                "Cette attestation n'est plus valable : elle ne prouve rien aujourd'hui.",
            )
        return cleaned


class NoteForm(forms.ModelForm):
    happened_on = date_field("Date", required=True, help_text="jj/mm/aaaa")

    class Meta:
        model = Note
        fields = ["happened_on", "visibility", "text"]
        widgets = {
            "visibility": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, can_restrict=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("happened_on", timezone.localdate())
        if not can_restrict:
            self.fields["visibility"].choices = [(NoteVisibility.TEAM, NoteVisibility.TEAM.label)]

    def clean_happened_on(self):
        value = self.cleaned_data["happened_on"]
        check_not_future(value, "La date de la note")
        return value


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Nom ou prénom", required=False, max_length=100)
