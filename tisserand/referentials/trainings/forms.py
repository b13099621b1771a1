from django import forms
from django.core.exceptions import ValidationError

from tisserand.core.forms import DateInput
from tisserand.core.pickers import PickerField, PickerWidget
from tisserand.referentials.trainings import referentials
from tisserand.referentials.trainings.lheo import ROME_CODE

RADIUS_CHOICES = [
    ("", "Dans la commune seulement"),
    (5, "à 5 km"),
    (10, "à 10 km"),
    (20, "à 20 km"),
    (30, "à 30 km"),
    (50, "à 50 km"),
]


class OccupationField(forms.Field):
    """A job typed or chosen among the ROME fiches proposed: {"code": …, "text": …}."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", PickerWidget("rome"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, dict):
            return {"code": value.get("code", "").strip(), "text": value.get("text", "").strip()}
        return {"code": "", "text": (value or "").strip()}


class TrainingSearchForm(forms.Form):
    metier = OccupationField(
        label="Métier ou code ROME",
        required=False,
        help_text="Par exemple : cariste, aide à domicile ou M1805 ; choisissez une proposition "
        "ou cherchez tous les métiers qui correspondent.",
    )
    commune = PickerField(
        "commune",
        label="Commune",
        required=False,
        help_text="Nom, code postal ou code INSEE ; choisissez ensuite une proposition.",
    )
    rayon = forms.TypedChoiceField(
        label="Distance",
        choices=RADIUS_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    debut_apres = forms.DateField(
        label="Session commençant à partir du", required=False, widget=DateInput
    )
    debut_avant = forms.DateField(label="et au plus tard le", required=False, widget=DateInput)
    certifiante = forms.BooleanField(label="Formations certifiantes uniquement", required=False)

    def clean_metier(self):
        """The ROME codes searched: the fiche chosen, a code typed, or every fiche the typed
        words designate."""
        code, text = self.cleaned_data["metier"]["code"], self.cleaned_data["metier"]["text"]
        typed = text[:5].upper()
        if code and ROME_CODE.match(code.upper()) and (not text or typed == code.upper()):
            return [code.upper()]
        if not text:
            return []
        if ROME_CODE.match(typed) and (len(text) == 5 or not text[5].isalnum()):
            return [typed]
        codes = referentials.rome_codes_matching(text)
        if not codes:
            raise ValidationError(
                "Aucun métier ne correspond à « %(text)s » : saisissez un intitulé de métier ou "
                "un code ROME (une lettre et 4 chiffres, ex. M1805).",
                params={"text": text},
            )
        return codes

    def clean(self):
        data = super().clean()
        if data.get("rayon") and not data.get("commune") and "commune" not in self.errors:
            self.add_error("commune", "Choisissez une commune pour chercher dans un rayon.")
        start, end = data.get("debut_apres"), data.get("debut_avant")
        if start and end and end < start:
            self.add_error("debut_avant", "Cette date doit suivre la première.")
        return data

    def criteria(self):
        """The keyword arguments of ``search_trainings`` (valid form only)."""
        data = self.cleaned_data
        commune = data.get("commune")
        return {
            "rome_codes": data.get("metier") or None,
            "commune_insee": commune.insee_code if commune else None,
            "radius_km": data.get("rayon"),
            "starts_after": data.get("debut_apres"),
            "starts_before": data.get("debut_avant"),
            "certifying": True if data.get("certifiante") else None,
        }
