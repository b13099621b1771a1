"""Form pieces shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO (aaaa-mm-jj)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
