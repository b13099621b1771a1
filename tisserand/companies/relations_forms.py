"""Forms of the relationship journal, the needs, their routing, the routing rules, the
catalogue of subjects and the satisfaction question."""

from django import forms

from tisserand.companies.models import (
    AssignmentStatus,
    Contact,
    HeadcountBand,
    Interaction,
    Need,
    NeedStatus,
    NeedSubject,
    RoutingRule,
)
from tisserand.core.forms import DateInput
from tisserand.structures.models import Membership, Structure, StructureKind
from tisserand.structures.roles import Capability, roles_with


def _contacts(establishment):
    return Contact.objects.filter(establishment=establishment, is_active=True).order_by(
        "last_name", "first_name"
    )


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["kind", "occurred_on", "contact", "summary", "next_action", "next_action_on"]
        widgets = {
            "occurred_on": DateInput(),
            "next_action_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "next_action_on": "Vous recevrez un rappel par e-mail ce jour-là.",
            "next_action": "Par exemple : rappeler pour le poste de cariste.",
        }

    def __init__(self, *args, establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = _contacts(establishment)
        self.fields["contact"].empty_label = "Aucun contact en particulier"


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["subject", "description", "contact"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = NeedSubject.objects.filter(is_active=True).order_by(
            "kind", "order", "label"
        )
        self.fields["contact"].queryset = _contacts(establishment)
        self.fields["contact"].empty_label = "Aucun contact en particulier"


class RouteForm(forms.Form):
    structures = forms.ModelMultipleChoiceField(
        label="Structures",
        queryset=Structure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les structures suggérées couvrent ce sujet sur ce territoire.",
    )
    officer = forms.ModelChoiceField(
        label="Ou une personne de votre structure",
        queryset=None,
        required=False,
        empty_label="Personne en particulier",
    )
    comment = forms.CharField(
        label="Message pour les structures",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, membership, exclude_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structures"].queryset = (
            Structure.objects.filter(is_active=True)
            .exclude(kind=StructureKind.FUNDER)
            .exclude(pk__in=exclude_ids)
            .order_by("name")
        )
        from django.contrib.auth import get_user_model

        members = Membership.objects.filter(
            structure=membership.structure,
            is_active=True,
            role__in=roles_with(Capability.SEE_COMPANIES),
        ).values("user")
        self.fields["officer"].queryset = (
            get_user_model()
            .objects.filter(pk__in=members, is_active=True)
            .order_by("last_name", "first_name")
        )
        self.fields["officer"].label_from_instance = lambda user: user.get_full_name() or user.email


ANSWER_CHOICES = [
    (AssignmentStatus.TAKEN.value, "Prendre en charge"),
    (AssignmentStatus.DONE.value, "Clôturer : aide apportée"),
    (AssignmentStatus.DONE_NO_HELP.value, "Clôturer : pas d'aide possible"),
    (AssignmentStatus.NOT_REACHABLE.value, "Clôturer : entreprise injoignable"),
    (AssignmentStatus.NOT_FOR_ME.value, "Pas pour nous"),
]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label="Réponse", choices=ANSWER_CHOICES)
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


AGE_CHOICES = [
    ("", "Toutes"),
    ("7", "Plus de 7 jours"),
    ("21", "Plus de 21 jours"),
    ("45", "Plus de 45 jours"),
]


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Statut", required=False, choices=[("", "Tous"), *NeedStatus.choices]
    )
    subject = forms.ModelChoiceField(
        label="Sujet",
        required=False,
        queryset=NeedSubject.objects.order_by("kind", "order", "label"),
        empty_label="Tous",
    )
    age = forms.ChoiceField(label="Ancienneté", required=False, choices=AGE_CHOICES)


class RoutingRuleForm(forms.ModelForm):
    headcount_bands = forms.MultipleChoiceField(
        label="Tranches d'effectif",
        required=False,
        choices=HeadcountBand.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune cochée : toutes les tailles d'entreprise.",
    )

    class Meta:
        model = RoutingRule
        fields = [
            "label",
            "subjects",
            "communes",
            "epcis",
            "bassins",
            "headcount_bands",
            "naf_sections",
            "min_age_years",
            "max_age_years",
            "is_active",
        ]
        widgets = {
            "subjects": forms.CheckboxSelectMultiple,
            "naf_sections": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "communes": "Aucune commune, aucun EPCI ni bassin : tout le territoire.",
            "naf_sections": "Aucune cochée : tous les secteurs.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = NeedSubject.objects.filter(is_active=True)
        from tisserand.referentials.geo.models import BassinEmploi, Commune, Epci

        self.fields["communes"].queryset = Commune.objects.filter(
            departement__code="59", is_former=False
        ).order_by("name")
        self.fields["epcis"].queryset = Epci.objects.order_by("name")
        self.fields["bassins"].queryset = BassinEmploi.objects.order_by("code")


class NeedSubjectForm(forms.ModelForm):
    class Meta:
        model = NeedSubject
        fields = ["kind", "label", "order"]


YES_NO = [("oui", "Oui"), ("non", "Non")]


class SatisfactionForm(forms.Form):
    contacted = forms.TypedChoiceField(
        label="Avez-vous été contacté·e par la structure ?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda value: value == "oui",
    )
    useful = forms.TypedChoiceField(
        label="Cet accompagnement vous a-t-il été utile ?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda value: value == "oui",
    )
    outcome = forms.CharField(
        label="Qu'est-ce que cela vous a permis de faire ?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
