"""Form pieces shared by every app."""

from django import forms


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
