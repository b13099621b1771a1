"""Forms of the guidance pages. The profile form works as a plain GET form on the public page
(nothing stored) and as a POST form in counsellor mode (saved)."""

from django import forms
from django.core.exceptions import ValidationError

from tisserand.guidance import constraints, loading
from tisserand.guidance.engine import riasec
from tisserand.guidance.models import (
    MAX_RADIUS_KM,
    MAX_YEARS,
    MIN_RADIUS_KM,
    ContactMeans,
    WorkingTime,
)
from tisserand.guidance.pickers import picker_field
from tisserand.guidance.profiles import MAX_JOBS, JobEntry, ProfileData
from tisserand.referentials.vocabularies import api as vocabularies

ACTION_SKILLS, ACTION_RESULTS = "competences", "resultats"
RADIUS_ERROR = (
    f"Le rayon de mobilité doit être compris entre {MIN_RADIUS_KM} et {MAX_RADIUS_KM} km."
)
YEARS_ERROR = f"La durée va de 0 à {MAX_YEARS} ans."


class CodeListField(forms.Field):
    """A list of numeric codes posted as repeated values (checkboxes drawn by the template)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "Code invalide : « %(value)s »."}

    def to_python(self, value):
        codes = []
        for item in value or []:
            item = str(item).strip()
            if not item.isdigit():
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": item[:20]}
                )
            codes.append(int(item))
        return list(dict.fromkeys(codes))


def _years_field():
    return forms.DecimalField(
        label="Durée (années)",
        required=False,
        min_value=0,
        max_value=MAX_YEARS,
        decimal_places=1,
        max_digits=4,
        error_messages={
            "min_value": YEARS_ERROR,
            "max_value": YEARS_ERROR,
            "invalid": "Indiquez une durée en années (par exemple 2 ou 1,5).",
            "max_decimal_places": "Une décimale au plus (par exemple 1,5).",
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


class ProfileForm(forms.Form):
    """Jobs held, skills, interests, RIASEC questionnaire and constraints."""

    competences = CodeListField(required=False)
    interets = forms.TypedMultipleChoiceField(
        label="Ce qui vous donne envie",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rayon = forms.IntegerField(
        label="Jusqu'où êtes-vous prêt(e) à aller travailler (km) ?",
        required=False,
        min_value=MIN_RADIUS_KM,
        max_value=MAX_RADIUS_KM,
        error_messages={
            "min_value": RADIUS_ERROR,
            "max_value": RADIUS_ERROR,
            "invalid": "Indiquez un nombre de kilomètres.",
        },
    )
    temps = forms.ChoiceField(
        label="Temps de travail souhaité",
        choices=WorkingTime.choices,
        initial=WorkingTime.ANY,
        required=False,
    )
    horaires = forms.MultipleChoiceField(
        label="Horaires que vous ne pouvez pas assurer",
        choices=constraints.EXCLUDED_HOUR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    niveau = forms.ChoiceField(label="Niveau de diplôme", required=False)
    limites = forms.MultipleChoiceField(
        label="Limites physiques à respecter",
        choices=constraints.PHYSICAL_LIMIT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, public=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.public = public
        for index in range(1, MAX_JOBS + 1):
            self.fields[f"metier_{index}"] = picker_field(
                "appellation", public, label=f"Métier {index}", required=False
            )
            self.fields[f"annees_{index}"] = _years_field()
            self.fields[f"actuel_{index}"] = forms.BooleanField(
                label="C'est mon emploi actuel", required=False
            )
        self.fields["ajout_competence"] = picker_field(
            "competence", public, label="Ajouter une autre compétence", required=False
        )
        self.fields["commune"] = picker_field(
            "commune", public, label="Votre commune", required=False
        )
        for question in riasec.QUESTIONS:
            self.fields[f"q_{question.key}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(value, label) for value, label in riasec.ANSWERS],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
        catalogue = loading.current_catalogue()
        self.catalogue = catalogue
        self.fields["interets"].choices = sorted(
            ((c.code, c.label) for c in catalogue.centres.values()), key=lambda c: c[1]
        )
        self.fields["niveau"].choices = [("", "Non précisé")] + vocabularies.choices(
            vocabularies.QUALIFICATION_LEVEL
        )

    # --- reading -------------------------------------------------------------------------

    @property
    def job_rows(self):
        return [
            (self[f"metier_{i}"], self[f"annees_{i}"], self[f"actuel_{i}"])
            for i in range(1, MAX_JOBS + 1)
        ]

    @property
    def riasec_fields(self):
        return [self[f"q_{question.key}"] for question in riasec.QUESTIONS]

    def clean_competences(self):
        codes = self.cleaned_data["competences"]
        unknown = [code for code in codes if code not in self.catalogue.skills]
        if unknown:
            raise ValidationError(
                f"Compétence(s) inconnue(s) : {', '.join(map(str, unknown[:5]))}."
            )
        return codes

    def clean(self):
        cleaned = super().clean()
        for index in range(1, MAX_JOBS + 1):
            appellation = cleaned.get(f"metier_{index}")
            if appellation is not None and appellation.fiche.is_obsolete:
                self.add_error(f"metier_{index}", "Ce métier n'existe plus dans le ROME.")
        return cleaned

    def profile_data(self):
        """The profile the valid form describes."""
        cleaned = self.cleaned_data
        jobs, seen = [], set()
        for index in range(1, MAX_JOBS + 1):
            appellation = cleaned.get(f"metier_{index}")
            if appellation is None or appellation.code_ogr in seen:
                continue
            seen.add(appellation.code_ogr)
            years = cleaned.get(f"annees_{index}")
            jobs.append(
                JobEntry(
                    appellation.code_ogr,
                    float(years) if years is not None else None,
                    bool(cleaned.get(f"actuel_{index}")),
                )
            )
        skills = list(cleaned.get("competences") or [])
        added = cleaned.get("ajout_competence")
        if added is not None and added.code_ogr not in skills:
            skills.append(added.code_ogr)
        answers = {
            question.key: cleaned[f"q_{question.key}"]
            for question in riasec.QUESTIONS
            if cleaned.get(f"q_{question.key}") is not None
        }
        commune = cleaned.get("commune")
        return ProfileData(
            jobs=jobs,
            skills=skills,
            interests=list(cleaned.get("interets") or []),
            riasec_code=riasec.code_from_answers(answers),
            riasec_answers=answers,
            commune=commune.insee_code if commune is not None else "",
            radius_km=cleaned.get("rayon"),
            working_time=cleaned.get("temps") or WorkingTime.ANY,
            excluded_hours=list(cleaned.get("horaires") or []),
            physical_limits=list(cleaned.get("limites") or []),
            qualification_level=cleaned.get("niveau") or "",
        )


def initial_from(data):
    """The profile form's initial values for ``data`` (a saved profile or a token)."""
    initial = {
        "competences": [str(code) for code in data.skills],
        "interets": list(data.interests),
        "commune": data.commune or None,
        "rayon": data.radius_km,
        "temps": data.working_time,
        "horaires": data.excluded_hours,
        "niveau": data.qualification_level,
        "limites": data.physical_limits,
    }
    for index, job in enumerate(data.jobs, start=1):
        initial[f"metier_{index}"] = str(job.appellation)
        initial[f"annees_{index}"] = job.years
        initial[f"actuel_{index}"] = job.is_current
    for key, value in data.riasec_answers.items():
        initial[f"q_{key}"] = value
    return initial


class ContactRequestForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    email = forms.EmailField(
        label="Adresse e-mail",
        required=False,
        error_messages={"invalid": "Saisissez une adresse e-mail valide (nom@exemple.fr)."},
    )
    phone = forms.RegexField(
        label="Téléphone",
        required=False,
        regex=r"^\+?[0-9 .\-]{10,20}$",
        error_messages={"invalid": "Saisissez un numéro de téléphone (10 chiffres)."},
    )
    preferred_means = forms.ChoiceField(
        label="Comment préférez-vous être contacté(e) ?",
        choices=ContactMeans.choices,
        widget=forms.RadioSelect,
        initial=ContactMeans.EMAIL,
    )
    message = forms.CharField(
        label="Votre message (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_profile = forms.BooleanField(
        label="Joindre mon profil et les métiers qui m'intéressent à ma demande",
        required=False,
        initial=True,
    )
    consent = forms.BooleanField(
        label="",
        required=True,
        error_messages={
            "required": "Votre accord est nécessaire pour que nous gardions votre demande."
        },
    )

    def __init__(self, *args, consent_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text

    def clean(self):
        cleaned = super().clean()
        means = cleaned.get("preferred_means")
        if means == ContactMeans.EMAIL and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "Indiquez votre adresse e-mail pour être contacté(e) ainsi.")
        if means == ContactMeans.PHONE and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", "Indiquez votre numéro pour être rappelé(e).")
        return cleaned


class ReconversionForm(forms.Form):
    """An employee's current job and where they live: the reconversion map."""

    metier = forms.Field()
    annees = forms.Field()
    commune = forms.Field()
    rayon = forms.IntegerField(
        label="Rayon de recherche des formations (km)",
        required=False,
        min_value=MIN_RADIUS_KM,
        max_value=MAX_RADIUS_KM,
        error_messages={
            "min_value": RADIUS_ERROR,
            "max_value": RADIUS_ERROR,
            "invalid": "Indiquez un nombre de kilomètres.",
        },
    )
    niveau = forms.ChoiceField(label="Niveau de diplôme", required=False)

    def __init__(self, *args, public=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metier"] = picker_field("appellation", public, label="Votre métier actuel")
        self.fields["annees"] = _years_field()
        self.fields["annees"].label = "Depuis combien d'années l'exercez-vous ?"
        self.fields["commune"] = picker_field(
            "commune", public, label="Commune où vous habitez", required=False
        )
        self.fields["niveau"].choices = [("", "Non précisé")] + vocabularies.choices(
            vocabularies.QUALIFICATION_LEVEL
        )

    def profile_data(self):
        cleaned = self.cleaned_data
        appellation = cleaned["metier"]
        years = cleaned.get("annees")
        commune = cleaned.get("commune")
        return ProfileData(
            jobs=[
                JobEntry(appellation.code_ogr, float(years) if years is not None else None, True)
            ],
            commune=commune.insee_code if commune is not None else "",
            radius_km=cleaned.get("rayon"),
            qualification_level=cleaned.get("niveau") or "",
        )


COLLECTIVE_ROWS = 8
MAX_EMPLOYEES_PER_ROW = 10_000


class CollectiveRowForm(forms.Form):
    metier = forms.Field(required=False)
    effectif = forms.IntegerField(
        label="Nombre de salariés",
        required=False,
        min_value=1,
        max_value=MAX_EMPLOYEES_PER_ROW,
        error_messages={
            "min_value": "Au moins 1 salarié.",
            "max_value": f"Au plus {MAX_EMPLOYEES_PER_ROW} salariés par ligne.",
            "invalid": "Indiquez un nombre de salariés.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metier"] = picker_field(
            "appellation", False, label="Métier occupé", required=False
        )

    def clean(self):
        cleaned = super().clean()
        missing_count = cleaned.get("metier") is not None and not cleaned.get("effectif")
        if missing_count and "effectif" not in self.errors:
            self.add_error("effectif", "Indiquez combien de salariés occupent ce métier.")
        if (
            cleaned.get("effectif")
            and cleaned.get("metier") is None
            and "metier" not in self.errors
        ):
            self.add_error("metier", "Indiquez le métier de ces salariés.")
        return cleaned


class BaseCollectiveFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("metier") for form in self.forms):
            raise ValidationError("Indiquez au moins un métier et son nombre de salariés.")

    def rows(self):
        """[(appellation, count)] merged by job title."""
        merged = {}
        for form in self.forms:
            appellation = form.cleaned_data.get("metier")
            if appellation is not None:
                count = merged.get(appellation.code_ogr, (appellation, 0))[1]
                merged[appellation.code_ogr] = (appellation, count + form.cleaned_data["effectif"])
        return list(merged.values())


CollectiveFormSet = forms.formset_factory(
    CollectiveRowForm,
    formset=BaseCollectiveFormSet,
    extra=COLLECTIVE_ROWS,
    max_num=COLLECTIVE_ROWS,
    absolute_max=COLLECTIVE_ROWS,
    validate_max=True,
)


class CollectiveSiteForm(forms.Form):
    commune = forms.Field(required=False)
    rayon = forms.IntegerField(
        label="Rayon de recherche des formations (km)",
        required=False,
        min_value=MIN_RADIUS_KM,
        max_value=MAX_RADIUS_KM,
        error_messages={
            "min_value": RADIUS_ERROR,
            "max_value": RADIUS_ERROR,
            "invalid": "Indiquez un nombre de kilomètres.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"] = picker_field(
            "commune", False, label="Commune du site de l'entreprise", required=False
        )
