from django import forms

from tisserand.core.pickers import PickerWidget


class CommuneQueryField(forms.Field):
    """The search box: typed text, and the commune chosen among the proposals (if any)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", PickerWidget("commune"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, dict):
            return {"code": value.get("code", "").strip(), "text": value.get("text", "").strip()}
        return {"code": "", "text": (value or "").strip()}


class CommuneSearchForm(forms.Form):
    q = CommuneQueryField(
        label="Nom, code postal ou code INSEE",
        help_text="Par exemple : Roubaix, lys lez lannoy, 59100 ou 59512. "
        "Les accents et majuscules sont ignorés.",
    )
