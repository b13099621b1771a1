"""Forms of the accompaniment pages. Each checks its input and answers in French next to the
field; the services check the same rules again."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from tisserand.accompaniment import exit_typology, perms
from tisserand.accompaniment.models import (
    MAX_MOBILITY_RADIUS_KM,
    PARTNER_MESSAGE,
    Accompaniment,
    ActionStatus,
    BarrierLevel,
    EmploymentStatus,
    ObjectiveStatus,
    PlanAction,
    ProfessionalProject,
    Programme,
)
from tisserand.accompaniment.services import (
    exit_needs_contract,
    incoherent_contract_message,
    window_message,
)
from tisserand.core.documents import DocumentField
from tisserand.core.forms import DateInput
from tisserand.core.pickers import PickerField
from tisserand.people import hooks as people_hooks
from tisserand.people.models import FollowUpRole
from tisserand.referentials.vocabularies import api as vocabularies
from tisserand.referentials.vocabularies.choices import WorkingTime
from tisserand.referentials.vocabularies.forms import term_choice_field
from tisserand.structures.models import Membership, Structure, StructureKind
from tisserand.structures.roles import Role

FUTURE_DATE = "La date ne peut pas être dans le futur."
BEFORE_ENTRY = "La date ne peut pas précéder l'entrée dans l'accompagnement ({:%d/%m/%Y})."
YES_NO_UNKNOWN = [("oui", "Oui"), ("non", "Non"), ("", "Ne sait pas ou ne souhaite pas répondre")]
MAX_TARGET_APPELLATIONS = 5


class DateField(forms.DateField):
    widget = DateInput


class PastDateField(DateField):
    """A date of something that happened: today at the latest (back-dating is normal)."""

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(FUTURE_DATE, code="future")


class YesNoUnknownField(forms.TypedChoiceField):
    """Oui / Non / no answer, cleaned to True / False / None."""

    def __init__(self, label, **kwargs):
        super().__init__(
            label=label,
            choices=YES_NO_UNKNOWN,
            coerce=lambda value: value == "oui",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value):
        return {True: "oui", False: "non"}.get(value, value if isinstance(value, str) else "")


def _check_not_before(form, name, day, entry_date):
    if day and entry_date and day < entry_date:
        form.add_error(name, BEFORE_ENTRY.format(entry_date))


def _not_before_entry(day, entry_date):
    """For ``clean_<field>``: the day, or a French error when it precedes the entry."""
    if day and day < entry_date:
        raise forms.ValidationError(BEFORE_ENTRY.format(entry_date), code="before_entry")
    return day


class MembershipChoiceField(forms.ModelChoiceField):
    """A member, shown with their structure and role; value: the membership's public id."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="public_id", **kwargs)

    def label_from_instance(self, membership):
        role = membership.get_role_display()
        return f"{membership.user} — {membership.structure} ({role})"


def _active_members():
    return Membership.objects.active().select_related("user", "structure")


def referents_of(structure):
    """The users who may be référent in ``structure``."""
    user_ids = (
        _active_members()
        .filter(structure=structure, role__in=perms.REFERENT_ROLES)
        .values("user_id")
    )
    return get_user_model().objects.filter(pk__in=user_ids).order_by("last_name", "first_name")


class UserChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="public_id", **kwargs)

    def label_from_instance(self, user):
        return str(user)


# --- Opening ----------------------------------------------------------------------------------


class EsfEntryFields(forms.Form):
    """ESF+ participant data asked at entry (gender, age and level come from the record)."""

    employment_status = forms.ChoiceField(
        label="Situation sur le marché du travail à l'entrée",
        choices=[("", "— Choisir —"), *EmploymentStatus.choices],
        required=False,
        help_text="Proposée d'après la situation enregistrée sur la fiche de la personne.",
    )
    has_disability = YesNoUnknownField("En situation de handicap")
    is_third_country_national = YesNoUnknownField("Ressortissant d'un pays hors Union européenne")
    has_foreign_origin = YesNoUnknownField("D'origine étrangère")
    is_minority = YesNoUnknownField("Appartenant à une minorité")
    is_homeless_or_excluded_from_housing = YesNoUnknownField("Sans domicile ou exclu du logement")
    lives_in_rural_area = YesNoUnknownField("Résidant en zone rurale")

    ESF_FIELDS = (
        "employment_status",
        "has_disability",
        "is_third_country_national",
        "has_foreign_origin",
        "is_minority",
        "is_homeless_or_excluded_from_housing",
        "lives_in_rural_area",
    )

    def esf_values(self):
        return {name: self.cleaned_data[name] for name in self.ESF_FIELDS}


class OpenAccompanimentForm(EsfEntryFields):
    programme = forms.ModelChoiceField(
        label="Programme",
        queryset=Programme.objects.filter(is_active=True),
        empty_label="— Choisir —",
    )
    referent = UserChoiceField(queryset=None, label="Référent", empty_label="— Choisir —")
    entry_date = PastDateField(label="Date d'entrée", initial=timezone.localdate)
    planned_end_date = DateField(
        label="Date de fin prévue",
        required=False,
        help_text="Facultative. Une fois dépassée, une alerte rappelle d'enregistrer la sortie.",
    )

    field_order = ["programme", "referent", "entry_date", "planned_end_date"]

    def __init__(self, *args, membership, initial_esf=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referents_of(membership.structure)
        if membership.role in perms.REFERENT_ROLES and not self.is_bound:
            self.initial.setdefault("referent", membership.user.public_id)
        self.initial.update(initial_esf or {})

    def clean(self):
        cleaned = super().clean()
        entry, planned_end = cleaned.get("entry_date"), cleaned.get("planned_end_date")
        if entry and planned_end and planned_end < entry:
            self.add_error("planned_end_date", "La fin prévue ne peut pas précéder l'entrée.")
        return cleaned


# --- Team and transfer ------------------------------------------------------------------------


class TeamMemberForm(forms.Form):
    member = MembershipChoiceField(
        queryset=None,
        label="Professionnel à ajouter",
        empty_label="— Choisir —",
        help_text="Un conseiller de votre structure rejoint l'équipe ; un conseiller partenaire "
        "n'a qu'un accès en lecture, limité à ce que la personne a accepté de partager.",
    )

    def __init__(self, *args, accompaniment, **kwargs):
        super().__init__(*args, **kwargs)
        same_structure = (
            _active_members().filter(structure=accompaniment.structure).exclude(role=Role.FUNDER)
        )
        partners = (
            _active_members().filter(role=Role.PARTNER).exclude(structure=accompaniment.structure)
        )
        self.fields["member"].queryset = (
            (same_structure | partners)
            .exclude(user=accompaniment.referent, structure=accompaniment.structure)
            .order_by("structure__name", "user__last_name", "user__first_name")
        )

    def role_for(self, accompaniment):
        member = self.cleaned_data["member"]
        same = member.structure_id == accompaniment.structure_id
        return FollowUpRole.TEAM if same else FollowUpRole.PARTNER_READER


class TransferForm(forms.Form):
    new_referent = MembershipChoiceField(
        queryset=None,
        label="Nouveau référent",
        empty_label="— Choisir —",
        help_text="Un conseiller de votre structure ou d'une autre structure du réseau.",
    )
    transferred_on = PastDateField(label="Date du transfert", initial=timezone.localdate)
    reason = forms.CharField(label="Motif", max_length=300, required=False)

    def __init__(self, *args, accompaniment, **kwargs):
        super().__init__(*args, **kwargs)
        self.accompaniment = accompaniment
        self.fields["new_referent"].queryset = (
            _active_members()
            .filter(role__in=perms.REFERENT_ROLES)
            .exclude(structure__kind=StructureKind.FUNDER)
            .exclude(user=accompaniment.referent, structure=accompaniment.structure)
            .order_by("structure__name", "user__last_name", "user__first_name")
        )

    def clean_transferred_on(self):
        return _not_before_entry(self.cleaned_data["transferred_on"], self.accompaniment.entry_date)


# --- Diagnosis --------------------------------------------------------------------------------


class DiagnosisForm(forms.Form):
    """The 10 barrier themes at once: a level (or "not assessed") and a comment for each."""

    assessed_on = PastDateField(label="Date du diagnostic", initial=timezone.localdate)

    def __init__(self, *args, accompaniment, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.accompaniment = accompaniment
        self.themes = vocabularies.terms(vocabularies.BARRIER_THEME)
        for theme in self.themes:
            assessment = current.get(theme.code)
            self.fields[f"level_{theme.code}"] = forms.TypedChoiceField(
                label=f"{theme.label} : niveau",
                choices=[("", "Non évalué"), *BarrierLevel.choices],
                coerce=int,
                empty_value=None,
                required=False,
                initial=assessment.level if assessment else "",
            )
            self.fields[f"comment_{theme.code}"] = forms.CharField(
                label=f"{theme.label} : commentaire",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=assessment.comment if assessment else "",
            )

    def clean_assessed_on(self):
        return _not_before_entry(self.cleaned_data["assessed_on"], self.accompaniment.entry_date)

    def rows(self):
        """(theme, level field, comment field) for the template."""
        return [
            (theme, self[f"level_{theme.code}"], self[f"comment_{theme.code}"])
            for theme in self.themes
        ]

    def entries(self):
        return {
            theme.code: (
                self.cleaned_data[f"level_{theme.code}"],
                self.cleaned_data[f"comment_{theme.code}"].strip(),
            )
            for theme in self.themes
        }


# --- Professional project ---------------------------------------------------------------------


class ProjectForm(forms.ModelForm):
    contract_types = term_choice_field(
        vocabularies.CONTRACT_TYPE,
        multiple=True,
        label="Types de contrat recherchés",
        required=False,
    )
    add_appellation = PickerField(
        "appellation",
        label="Ajouter un métier visé",
        required=False,
        help_text="Intitulé de métier ou code ROME, puis choisissez une proposition.",
    )
    remove_appellations = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Retirer des métiers visés",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ProfessionalProject
        fields = ["contract_types", "working_time", "mobility_radius_km", "comment"]
        widgets = {
            "working_time": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"mobility_radius_km": f"De 0 à {MAX_MOBILITY_RADIUS_KM} km du domicile."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_time"].choices = WorkingTime.choices
        self.fields["mobility_radius_km"].max_value = MAX_MOBILITY_RADIUS_KM
        self.fields["mobility_radius_km"].widget.attrs["max"] = MAX_MOBILITY_RADIUS_KM
        targets = (
            self.instance.target_appellations.select_related("fiche")
            if self.instance.pk
            else ProfessionalProject.target_appellations.rel.model.objects.none()
        )
        self.targets = list(targets)
        self.fields["remove_appellations"].queryset = targets
        if not self.targets:
            del self.fields["remove_appellations"]

    def clean_mobility_radius_km(self):
        radius = self.cleaned_data["mobility_radius_km"]
        if radius is not None and radius > MAX_MOBILITY_RADIUS_KM:
            raise forms.ValidationError(
                f"Le rayon de mobilité ne peut pas dépasser {MAX_MOBILITY_RADIUS_KM} km."
            )
        return radius

    def clean(self):
        cleaned = super().clean()
        added = cleaned.get("add_appellation")
        removed = cleaned.get("remove_appellations") or []
        if added is not None and len(self.targets) - len(removed) >= MAX_TARGET_APPELLATIONS:
            self.add_error(
                "add_appellation",
                f"Un projet vise au plus {MAX_TARGET_APPELLATIONS} métiers : retirez-en un.",
            )
        return cleaned

    def removed_ids(self):
        return {a.pk for a in self.cleaned_data.get("remove_appellations") or []}


# --- Plan -------------------------------------------------------------------------------------


class ObjectiveForm(forms.Form):
    theme = term_choice_field(vocabularies.BARRIER_THEME, label="Thématique")
    label = forms.CharField(label="Objectif", max_length=250)


class ObjectiveStatusForm(forms.Form):
    status = forms.ChoiceField(label="Statut de l'objectif", choices=ObjectiveStatus.choices)


class ActionForm(forms.ModelForm):
    action_type = term_choice_field(vocabularies.ACTION_TYPE, label="Type d'action")
    partner_structure = forms.ModelChoiceField(
        label="Structure partenaire",
        queryset=Structure.objects.filter(is_active=True).exclude(kind=StructureKind.FUNDER),
        required=False,
        empty_label="— Aucune —",
    )

    class Meta:
        model = PlanAction
        fields = [
            "action_type",
            "label",
            "partner_structure",
            "partner_name",
            "status",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, accompaniment, **kwargs):
        super().__init__(*args, **kwargs)
        self.accompaniment = accompaniment
        self.fields["status"].choices = ActionStatus.choices

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        for name in ("start_date", "end_date"):
            _check_not_before(self, name, cleaned.get(name), self.accompaniment.entry_date)
        if start and end and end < start:
            self.add_error("end_date", "La fin de l'action ne peut pas précéder son début.")
        today = timezone.localdate()
        status = cleaned.get("status")
        if status == ActionStatus.DONE and end and end > today:
            self.add_error("end_date", "Une action réalisée ne peut pas finir dans le futur.")
        if status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE) and start and start > today:
            self.add_error("start_date", "Une action commencée ne peut pas débuter dans le futur.")
        self._check_one_partner(cleaned)
        return cleaned

    def _check_one_partner(self, cleaned):
        if "partner_structure" in self.errors or "partner_name" in self.errors:
            return
        network, outside = cleaned.get("partner_structure"), cleaned.get("partner_name", "")
        if bool(network) == bool(outside.strip()):
            self.add_error("partner_structure" if network else "partner_name", PARTNER_MESSAGE)


# --- Exit and follow-up -----------------------------------------------------------------------


class _SituationForm(forms.Form):
    contract_type = term_choice_field(
        vocabularies.CONTRACT_TYPE,
        label="Type de contrat",
        required=False,
        help_text="Obligatoire pour une sortie en emploi salarié.",
    )
    employer = forms.CharField(label="Employeur", max_length=200, required=False)
    # A work contract, a training certificate…: checked on its content, kept with the exit.
    proof = DocumentField(label="Justificatif de la situation (facultatif)", required=False)
    situation_field = ""

    def clean(self):
        cleaned = super().clean()
        situation = cleaned.get(self.situation_field)
        contract_type = cleaned.get("contract_type")
        if situation and exit_needs_contract(situation) and not contract_type:
            self.add_error("contract_type", "Indiquez le type de contrat de cet emploi.")
        elif situation and not exit_typology.allows(situation, contract_type):
            self.add_error("contract_type", incoherent_contract_message(situation, contract_type))
        return cleaned


class ExitForm(_SituationForm):
    exit_date = PastDateField(label="Date de sortie", initial=timezone.localdate)
    exit_type = term_choice_field(
        vocabularies.EXIT_TYPE,
        label="Type de sortie",
        error_messages={"required": "Une sortie a besoin d'un type : choisissez-le."},
    )
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    gained_qualification = YesNoUnknownField(
        "A obtenu une qualification pendant l'accompagnement (FSE+)"
    )
    keep_appointments = forms.MultipleChoiceField(
        label="Rendez-vous à venir : cochez ceux à garder",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les rendez-vous non cochés seront annulés et leur rappel ne partira pas.",
    )
    situation_field = "exit_type"
    field_order = ["exit_date", "exit_type", "contract_type", "employer", "comment", "proof"]

    def __init__(self, *args, accompaniment, **kwargs):
        super().__init__(*args, **kwargs)
        self.accompaniment = accompaniment
        self.future_appointments = people_hooks.future_appointments(
            accompaniment.person, accompaniment.structure
        )
        if not self.future_appointments:
            del self.fields["keep_appointments"]
            return
        field = self.fields["keep_appointments"]
        field.choices = [(str(a.public_id), a.label) for a in self.future_appointments]
        if self._structure_follows_otherwise():
            # Another accompaniment with the structure goes on: its appointments are kept
            # unless the counsellor unticks them.
            field.initial = [value for value, _ in field.choices]
            field.help_text = (
                "La personne reste accompagnée par la structure dans un autre programme : "
                "ses rendez-vous sont gardés, sauf ceux que vous décochez."
            )

    def _structure_follows_otherwise(self):
        accompaniment = self.accompaniment
        return (
            Accompaniment.objects.open()
            .filter(person_id=accompaniment.person_id, structure_id=accompaniment.structure_id)
            .exclude(pk=accompaniment.pk)
            .exists()
        )

    def appointments_to_cancel(self):
        kept = set(self.cleaned_data.get("keep_appointments") or ())
        return [a for a in self.future_appointments if str(a.public_id) not in kept]

    def clean_exit_date(self):
        return _not_before_entry(self.cleaned_data["exit_date"], self.accompaniment.entry_date)


class FollowUpForm(_SituationForm):
    contacted_on = PastDateField(label="Date du contact")
    situation = term_choice_field(
        vocabularies.EXIT_TYPE,
        label="Situation 6 mois après la sortie",
        error_messages={"required": "Indiquez la situation de la personne à 6 mois."},
    )
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    situation_field = "situation"
    field_order = ["contacted_on", "situation", "contract_type", "employer", "comment", "proof"]

    def __init__(self, *args, accompaniment, follow_up, **kwargs):
        super().__init__(*args, **kwargs)
        self.accompaniment, self.follow_up = accompaniment, follow_up
        self.fields["contacted_on"].initial = follow_up.default_contact_date()
        self.fields["contacted_on"].help_text = (
            f"Entre le {follow_up.window_opens_on:%d/%m/%Y} et le "
            f"{follow_up.window_closes_on:%d/%m/%Y}."
        )

    def clean_contacted_on(self):
        day = self.cleaned_data["contacted_on"]
        if day and not self.follow_up.in_window(day):
            raise forms.ValidationError(window_message(self.follow_up), code="outside_window")
        return day
