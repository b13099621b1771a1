"""Form pieces shared by every app."""

from django import forms

from tisserand.core.validators import display_phone, normalise_phone


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO (aaaa-mm-jj)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def model_values(form):
    """The cleaned values of a valid model form's model fields, for a service's ``data=``."""
    return {
        name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data
    }


class PhoneField(forms.CharField):
    """A French or international phone number, cleaned to E.164 (« +33320112233 »)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", "Par exemple 03 20 11 22 33, ou +32 2 555 12 12.")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "tel")
        self.widget.input_type = "tel"

    def prepare_value(self, value):
        return display_phone(value)

    def to_python(self, value):
        return normalise_phone(super().to_python(value))
