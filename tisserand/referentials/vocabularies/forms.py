"""Form fields offering the active terms of a vocabulary (queried when the form is shown)."""

from django import forms

from tisserand.referentials.vocabularies import api

EMPTY_CHOICE = [("", "— Choisir —")]


class TermChoiceField(forms.ChoiceField):
    """One term, by code. Cleaned value: the code (a string)."""

    def __init__(self, vocabulary, *, empty_label=EMPTY_CHOICE[0][1], **kwargs):
        self.vocabulary = vocabulary
        empty = [("", empty_label)]
        super().__init__(choices=lambda: empty + api.choices(vocabulary), **kwargs)


class TermMultipleChoiceField(forms.MultipleChoiceField):
    """Several terms, by code, as checkboxes by default. Cleaned value: a list of codes."""

    def __init__(self, vocabulary, **kwargs):
        self.vocabulary = vocabulary
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(choices=lambda: api.choices(vocabulary), **kwargs)


def term_choice_field(vocabulary, *, multiple=False, **kwargs):
    """``term_choice_field("exit_type", label="Type de sortie")`` in a form class body."""
    field_class = TermMultipleChoiceField if multiple else TermChoiceField
    return field_class(vocabulary, **kwargs)
