from django import forms

from tisserand.core.forms import DateInput
from tisserand.core.pickers import PickerField
from tisserand.opportunities.importing.reading import MAX_BYTES
from tisserand.opportunities.models import (
    CONTRACT_CHOICES,
    Experience,
    IntroductionStatus,
    NotRetainedReason,
    OfferSource,
    WithdrawnReason,
)
from tisserand.opportunities.search import DEFAULT_RADIUS, RADII, Criteria
from tisserand.referentials.uploads import ImportFileField
from tisserand.referentials.vocabularies.choices import WorkingTime

YES_NO_UNKNOWN = [("", "Non précisé"), ("yes", "Oui"), ("no", "Non")]


class SearchForm(forms.Form):
    metier = PickerField("appellation", label="Métier (appellation ROME)", required=False)
    voisins = forms.BooleanField(
        label="Inclure les métiers proches (mobilités officielles de la fiche)", required=False
    )
    commune = PickerField("commune", label="Commune", required=False)
    rayon = forms.TypedChoiceField(
        label="Distance",
        choices=[(r, f"{r} km") for r in RADII],
        coerce=int,
        initial=DEFAULT_RADIUS,
        required=False,
    )
    contrat = forms.MultipleChoiceField(
        label="Type de contrat",
        choices=CONTRACT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    experience = forms.ChoiceField(
        label="Expérience", choices=[("", "Toutes"), *Experience.choices], required=False
    )
    temps = forms.ChoiceField(
        label="Temps de travail",
        choices=[
            ("", "Tous"),
            (WorkingTime.FULL_TIME, "Temps plein"),
            (WorkingTime.PART_TIME, "Temps partiel"),
        ],
        required=False,
    )
    origine = forms.ChoiceField(
        label="Origine", choices=[("", "Toutes"), *OfferSource.choices], required=False
    )
    alternance = forms.BooleanField(label="Alternance seulement", required=False)
    accessible_th = forms.BooleanField(
        label="Accessibles aux travailleurs handicapés", required=False
    )
    siae = forms.BooleanField(label="Structures d'insertion (SIAE)", required=False)
    ea = forms.BooleanField(label="Entreprises adaptées (EA, ESAT)", required=False)
    depuis = forms.TypedChoiceField(
        label="Publiée depuis",
        choices=[(0, "Toutes dates"), (1, "24 heures"), (7, "7 jours"), (30, "30 jours")],
        coerce=int,
        required=False,
        empty_value=0,
    )
    texte = forms.CharField(label="Mots-clés", required=False, max_length=200)

    def criteria(self):
        data = self.cleaned_data
        appellation = data.get("metier")
        return Criteria(
            appellation=appellation,
            fiche=appellation.fiche if appellation else None,
            with_neighbours=bool(data.get("voisins")),
            commune=data.get("commune"),
            radius_km=data.get("rayon") or DEFAULT_RADIUS,
            contract_types=data.get("contrat") or [],
            experience=data.get("experience") or "",
            working_time=data.get("temps") or "",
            alternance=bool(data.get("alternance")),
            accessible_th=bool(data.get("accessible_th")),
            siae=bool(data.get("siae")),
            adapted=bool(data.get("ea")),
            source=data.get("origine") or "",
            text=data.get("texte") or "",
            since_days=data.get("depuis") or 0,
        )


class SaveSearchForm(forms.Form):
    label = forms.CharField(label="Nom de la recherche", max_length=150)
    alerts = forms.BooleanField(
        label="Recevoir chaque jour les nouvelles offres par e-mail", required=False, initial=True
    )


class OfferForm(forms.Form):
    title = forms.CharField(label="Intitulé du poste", max_length=250)
    appellation = PickerField("appellation", label="Métier (appellation ROME)", required=False)
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False)
    commune = PickerField("commune", label="Commune du poste", required=False)
    contract_type = forms.ChoiceField(
        label="Type de contrat", choices=[("", "—"), *CONTRACT_CHOICES], required=False
    )
    positions = forms.IntegerField(label="Nombre de postes", min_value=1, max_value=999, initial=1)
    experience = forms.ChoiceField(
        label="Expérience", choices=[("", "—"), *Experience.choices], required=False
    )
    working_time = forms.ChoiceField(
        label="Temps de travail", choices=WorkingTime.choices, initial=WorkingTime.ANY
    )
    alternance = forms.BooleanField(label="Alternance", required=False)
    salary = forms.CharField(label="Salaire", max_length=250, required=False)
    apply_url = forms.URLField(
        label="Lien pour postuler", max_length=500, required=False, assume_scheme="https"
    )
    contact_email = forms.EmailField(label="Adresse e-mail de contact", required=False)
    accessible_th = forms.NullBooleanField(
        label="Accessible aux travailleurs handicapés",
        widget=forms.Select(
            choices=[("unknown", "Non précisé"), ("true", "Oui"), ("false", "Non")]
        ),
        required=False,
    )
    expires_on = forms.DateField(label="Fin de publication", widget=DateInput, required=False)

    def values(self):
        return dict(self.cleaned_data)


class CloseOfferForm(forms.Form):
    reason = forms.CharField(label="Motif de clôture", max_length=200, required=False)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Format du fichier",
        choices=[
            ("france_travail", "France Travail (JSON « Offres d'emploi v2 »)"),
            ("partner", "Modèle partenaire (CSV ou XLSX)"),
        ],
    )
    partner_name = forms.CharField(
        label="Partenaire (pour un fichier partenaire)", max_length=200, required=False
    )
    file = ImportFileField(
        max_bytes=MAX_BYTES, help_text="JSON France Travail, ou CSV/XLSX du modèle partenaire ;"
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == "partner" and not (data.get("partner_name") or "").strip():
            self.add_error("partner_name", "Indiquez le partenaire qui a collecté ces offres.")
        return data


class ProposeForm(forms.Form):
    consent = forms.BooleanField(
        label="La personne accepte que son profil (prénom, métier visé, compétences confirmées) "
        "soit transmis à l'entreprise pour cette offre.",
        required=True,
        error_messages={"required": "Recueillez l'accord de la personne avant de la proposer."},
    )
    message = forms.CharField(
        label="Message à l'entreprise (sans donnée de santé ni de situation sociale)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


REASON_CHOICES = (
    [("", "—")]
    + [(code, f"Non retenue : {label}") for code, label in NotRetainedReason.choices]
    + [(code, f"Retrait : {label}") for code, label in WithdrawnReason.choices]
)


class AdvanceForm(forms.Form):
    status = forms.ChoiceField(label="Nouvel état", choices=IntroductionStatus.choices)
    interview_on = forms.DateField(label="Date de l'entretien", widget=DateInput, required=False)
    reason = forms.ChoiceField(
        label="Motif (non retenue ou retrait)", choices=REASON_CHOICES, required=False
    )
    note = forms.CharField(label="Note", max_length=500, required=False)


COMPANY_CHOICES = [
    (IntroductionStatus.INTERVIEW, "Nous proposons un entretien"),
    (IntroductionStatus.HIRED, "Nous recrutons cette personne"),
    (IntroductionStatus.NOT_RETAINED, "Nous ne retenons pas cette candidature"),
]


class CompanyAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label="Votre réponse", choices=COMPANY_CHOICES, widget=forms.RadioSelect
    )
    interview_on = forms.DateField(label="Date de l'entretien", widget=DateInput, required=False)
    reason = forms.ChoiceField(
        label="Motif si la candidature n'est pas retenue",
        choices=[("", "—"), *NotRetainedReason.choices],
        required=False,
    )


class LikelyForm(forms.Form):
    metier = PickerField("appellation", label="Métier (appellation ROME)")
    commune = PickerField("commune", label="Commune", required=False)
    rayon = forms.TypedChoiceField(
        label="Distance",
        choices=[(r, f"{r} km") for r in RADII],
        coerce=int,
        initial=DEFAULT_RADIUS,
        required=False,
    )


class OptOutForm(forms.Form):
    reason = forms.CharField(label="Motif du retrait", max_length=250, required=False)
