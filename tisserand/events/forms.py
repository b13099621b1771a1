"""Forms of the events pages (the services apply the rules; forms clean the input)."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from tisserand.companies.models import HrClub
from tisserand.core.forms import PhoneField
from tisserand.events.models import (
    ATTENDANCE_STATUSES,
    Audience,
    Event,
    MessageTemplate,
    Outcome,
    ProgrammeBranding,
)
from tisserand.referentials.geo import areas, geocoding
from tisserand.referentials.geo.models import BassinEmploi, Commune, Epci
from tisserand.referentials.vocabularies.forms import term_choice_field
from tisserand.structures.models import Structure

DAY_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
DURATIONS = [
    (30, "30 minutes"),
    (60, "1 heure"),
    (90, "1 heure 30"),
    (120, "2 heures"),
    (180, "3 heures"),
    (240, "4 heures"),
    (360, "6 heures"),
    (480, "8 heures"),
]


class EventForm(forms.ModelForm):
    event_type = term_choice_field("event_type", label="Type d'événement")
    online_url = forms.URLField(
        label="Lien de la visioconférence", required=False, assume_scheme="https", max_length=200
    )
    deadline_day = forms.DateField(
        label="Date limite d'inscription",
        required=False,
        widget=DAY_WIDGET,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="Facultatif : jusqu'à la fin de ce jour.",
    )

    class Meta:
        model = Event
        fields = [
            "event_type", "title", "description", "audience", "visibility", "address_line",
            "commune", "online_url", "hr_club", "programme_code", "partners", "slot_minutes",
        ]  # fmt: skip
        widgets = {
            "visibility": forms.RadioSelect,
            "partners": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(
            insee_code__startswith="59"
        ).order_by("name")
        self.fields["hr_club"].queryset = HrClub.objects.filter(is_active=True).order_by("name")
        self.fields["partners"].queryset = Structure.objects.exclude(
            pk=getattr(structure, "pk", None)
        ).order_by("name")
        self.fields["programme_code"].help_text = (
            "Code du programme qui finance l'action (ses mentions et son logo figurent sur "
            "les feuilles d'émargement)."
        )
        if self.instance.pk and self.instance.registration_deadline:
            self.initial["deadline_day"] = timezone.localdate(self.instance.registration_deadline)

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("address_line")
            and not cleaned.get("commune")
            and not cleaned.get("online_url")
        ):
            self.add_error("address_line", "Indiquez un lieu (adresse et commune) ou un lien.")
        return cleaned

    def values(self):
        data = {name: self.cleaned_data[name] for name in self._meta.fields if name != "partners"}
        day = self.cleaned_data.get("deadline_day")
        data["registration_deadline"] = (
            timezone.make_aware(datetime.combine(day, datetime.max.time().replace(microsecond=0)))
            if day
            else None
        )
        data["latitude"], data["longitude"] = _position(data.get("address_line"), data["commune"])
        return data


def _position(address_line, commune):
    """The place's position: the address geocoded, else the commune's centre (or none)."""
    if commune is None:
        return None, None
    try:
        result = geocoding.geocode(address_line or "", "", commune.name)
    except geocoding.GeocodingError:
        result = None
    if result is not None:
        return result.lat, result.lon
    return commune.latitude, commune.longitude


class SessionForm(forms.Form):
    day = forms.DateField(label="Date", widget=DAY_WIDGET, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    start = forms.TimeField(label="Heure de début", widget=TIME_WIDGET)
    duration = forms.TypedChoiceField(label="Durée", choices=DURATIONS, coerce=int, initial=120)
    room = forms.CharField(label="Salle", max_length=120, required=False)
    capacity = forms.IntegerField(label="Nombre de places", min_value=0, max_value=5000)

    def __init__(self, *args, session=None, **kwargs):
        if session is not None:
            local = timezone.localtime(session.starts_at)
            minutes = int(session.duration.total_seconds() // 60)
            kwargs.setdefault(
                "initial",
                {
                    "day": local.date(),
                    "start": local.time(),
                    "duration": minutes,
                    "room": session.room,
                    "capacity": session.capacity,
                },
            )
        super().__init__(*args, **kwargs)
        if session is not None:
            minutes = int(session.duration.total_seconds() // 60)
            if minutes not in dict(DURATIONS):
                self.fields["duration"].choices = [*DURATIONS, (minutes, f"{minutes} minutes")]

    def values(self):
        starts_at = timezone.make_aware(
            datetime.combine(self.cleaned_data["day"], self.cleaned_data["start"])
        )
        return {
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=self.cleaned_data["duration"]),
            "room": self.cleaned_data["room"],
            "capacity": self.cleaned_data["capacity"],
        }


class NewEventForm(EventForm):
    """The event and its first session."""

    day = SessionForm.base_fields["day"]
    start = SessionForm.base_fields["start"]
    duration = SessionForm.base_fields["duration"]
    room = SessionForm.base_fields["room"]
    capacity = SessionForm.base_fields["capacity"]

    def session_values(self):
        return SessionForm.values(self)


class FilterForm(forms.Form):
    type = term_choice_field(
        "event_type", label="Type", required=False, empty_label="Tous les types"
    )
    audience = forms.ChoiceField(
        label="Public", required=False, choices=[("", "Tous les publics"), *Audience.choices]
    )
    commune = forms.ModelChoiceField(
        label="Commune",
        required=False,
        queryset=Commune.objects.none(),
        empty_label="Tout le territoire",
    )
    epci = forms.ModelChoiceField(
        label="Intercommunalité (EPCI)",
        required=False,
        queryset=Epci.objects.none(),
        empty_label="Toutes",
    )
    bassin = forms.ModelChoiceField(
        label="Bassin d'emploi",
        required=False,
        queryset=BassinEmploi.objects.none(),
        empty_label="Tous",
    )
    structure = forms.ModelChoiceField(
        label="Structure", required=False, queryset=Structure.objects.none(), empty_label="Toutes"
    )
    vue = forms.ChoiceField(
        label="Affichage",
        required=False,
        choices=[("liste", "Liste"), ("semaine", "Semaine"), ("mois", "Mois")],
    )
    date = forms.DateField(label="À partir du", required=False, widget=DAY_WIDGET)

    def __init__(self, *args, communes, structures, **kwargs):
        """``communes``: those that have events; the EPCI and bassins offered are theirs."""
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes.order_by("name")
        commune_ids = communes.values("pk")
        self.fields["epci"].queryset = areas.epcis_of(commune_ids).order_by("name", "siren")
        self.fields["bassin"].queryset = areas.bassins_of(commune_ids).order_by("name", "code")
        self.fields["structure"].queryset = structures


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Nom", required=False, max_length=100)
    commune = forms.ModelChoiceField(
        label="Commune", required=False, queryset=Commune.objects.none(), empty_label="Toutes"
    )
    mine = forms.BooleanField(label="Seulement les personnes que je suis", required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class RegisterPersonsForm(forms.Form):
    session = forms.ModelChoiceField(label="Séance", queryset=None, empty_label=None)
    persons = forms.ModelMultipleChoiceField(
        label="Personnes", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(
        choices=[("invite", "Inviter"), ("register", "Inscrire")], widget=forms.HiddenInput
    )

    def __init__(self, *args, sessions, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda session: (
            f"{session.label()} ({session.seats_left} place{'s' if session.seats_left > 1 else ''}"
            " restante" + ("s" if session.seats_left > 1 else "") + ")"
        )
        self.fields["persons"].queryset = persons


class ContactRegistrationForm(forms.Form):
    session = forms.ModelChoiceField(label="Séance", queryset=None, empty_label=None)
    contact = forms.ModelChoiceField(label="Contact d'entreprise", queryset=None)

    def __init__(self, *args, sessions, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda session: session.label()
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label_from_instance = lambda contact: (
            f"{contact.first_name} {contact.last_name} — {contact.establishment}"
        )


class PublicRegistrationForm(forms.Form):
    session = forms.ModelChoiceField(
        label="Séance", queryset=None, empty_label=None, widget=forms.RadioSelect
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse e-mail", help_text="Pour recevoir la confirmation.")
    phone = PhoneField(label="Téléphone", required=False)
    consent = forms.BooleanField(
        label="J'accepte que mes coordonnées servent à organiser cet événement (confirmation, "
        "rappel, émargement), et à rien d'autre. Elles sont supprimées après l'événement."
    )

    CONSENT_TEXT = (
        "Coordonnées utilisées pour cet événement seulement (confirmation, rappel, émargement)."
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda session: session.long_label()

    def participant(self):
        data = self.cleaned_data
        return {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "email": data["email"].strip().lower(),
            "phone": data.get("phone") or "",
            "consent_text": self.CONSENT_TEXT,
        }


ATTENDANCE_CHOICES = [(status.value, status.label) for status in ATTENDANCE_STATUSES]


class CompanyForm(forms.Form):
    establishment = forms.ModelChoiceField(label="Entreprise", queryset=None)
    needs = forms.CharField(
        label="Postes ou besoins", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments


class CandidateForm(forms.Form):
    person = forms.ModelChoiceField(label="Personne", queryset=None)

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Résultat de l'entretien", choices=Outcome.choices)


class SatisfactionForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Votre note globale",
        choices=[(n, f"{n} sur 5") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    useful = forms.TypedChoiceField(
        label="Cet événement vous a-t-il été utile ?",
        choices=[("oui", "Oui"), ("non", "Non")],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    comment = forms.CharField(
        label="Un commentaire ?", required=False, max_length=2000, widget=forms.Textarea
    )


class MessageTemplateForm(forms.ModelForm):
    event_type = term_choice_field("event_type", label="Type d'événement")

    class Meta:
        model = MessageTemplate
        fields = ["event_type", "kind", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class BrandingForm(forms.ModelForm):
    logo_file = forms.FileField(label="Logo (PNG, JPEG ou SVG, 500 Ko au plus)", required=False)

    class Meta:
        model = ProgrammeBranding
        fields = ["programme_code", "label", "mentions"]
        widgets = {"mentions": forms.Textarea(attrs={"rows": 3})}

    TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"<svg": "image/svg+xml"}

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if upload is None:
            return None
        if upload.size > 500_000:
            raise forms.ValidationError("Le logo dépasse 500 Ko.")
        content = upload.read()
        for magic, kind in self.TYPES.items():
            if content.lstrip()[: len(magic)] == magic:
                return content, kind
        raise forms.ValidationError("Le logo doit être une image PNG, JPEG ou SVG.")
