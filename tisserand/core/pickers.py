"""Reusable pickers: a text field that proposes referential entries as you type (htmx).

A referential subclasses ``Picker`` and registers it; forms use ``PickerField(name)``. With
JavaScript, choosing a proposal fills a hidden input with the entry's code. Without it, the
typed text is resolved on submit: an exact code or label, or a single matching proposal.
"""

import re
from abc import ABC, abstractmethod

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.functional import lazy

from tisserand.core.registry import Registry

DEFAULT_LIMIT = 10
CODE_SUFFIX = "_code"
TRAILING_BRACKETS = re.compile(r"\s*\([^()]*\)\s*$")


class Picker(ABC):
    """One kind of entry to pick. Subclasses implement search, get and value_of."""

    name = ""
    min_chars = 2
    limit = DEFAULT_LIMIT
    placeholder_help = "Tapez au moins deux caractères, puis choisissez une proposition."

    @abstractmethod
    def search(self, query, limit):
        """The entries matching ``query``, best first, at most ``limit``."""

    @abstractmethod
    def get(self, value):
        """The entry whose code is ``value``, or None."""

    @abstractmethod
    def value_of(self, obj):
        """The code that stands for ``obj`` in a form."""

    def label_of(self, obj):
        return str(obj)

    def allowed(self, membership):
        return membership is not None

    def resolve(self, text):
        """The entry a typed text designates without JavaScript, or None.

        The exact label of a proposal (« Caissier / Caissière (D1505) ») designates it, even
        when its bracketed part (a code, a postal code) is not searchable words.
        """
        text = text.strip()
        exact = self.get(text)
        if exact is not None:
            return exact
        proposals = list(self.search(text, 2)) if len(text) >= self.min_chars else []
        same_label = self._with_label(text, proposals)
        if same_label is None:
            words = TRAILING_BRACKETS.sub("", text)
            if words != text and len(words) >= self.min_chars:
                same_label = self._with_label(text, self.search(words, self.limit))
        if same_label is not None:
            return same_label
        return proposals[0] if len(proposals) == 1 else None

    def _with_label(self, text, proposals):
        return next((p for p in proposals if self.label_of(p).casefold() == text.casefold()), None)


# Keyed by name: registering a picker with the same name replaces it.
registered = Registry("Sélecteurs")
register = registered.register


def get_picker(name):
    try:
        return registered.get(name)
    except LookupError as error:
        raise Http404(f"Sélecteur inconnu : {name}") from error


class PickerWidget(forms.Widget):
    template_name = "components/picker.html"

    def __init__(self, picker_name, attrs=None):
        self.picker_name = picker_name
        super().__init__(attrs)

    @property
    def picker(self):
        return get_picker(self.picker_name)

    def value_from_datadict(self, data, files, name):
        return {"code": data.get(name + CODE_SUFFIX, ""), "text": data.get(name, "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + CODE_SUFFIX not in data

    def _current(self, value):
        """(code, text) to display for a value: an entry, a submitted dict, or a code."""
        if isinstance(value, dict):
            return value.get("code", ""), value.get("text", "")
        if value in (None, ""):
            return "", ""
        obj = value if not isinstance(value, str) else self.picker.get(value)
        if obj is None:
            return "", value
        return self.picker.value_of(obj), self.picker.label_of(obj)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        code, text = self._current(value)
        widget_id = context["widget"]["attrs"].get("id", f"id_{name}")
        context["widget"].update(
            {
                "code": code,
                "text": text,
                "code_name": name + CODE_SUFFIX,
                "id": widget_id,
                "url": reverse("core:picker", args=[self.picker_name]),
                "min_chars": self.picker.min_chars,
            }
        )
        return context


class PickerField(forms.Field):
    """A form field whose cleaned value is the chosen referential entry."""

    default_error_messages = {
        "required": "Ce champ est obligatoire.",
        "unknown": "« %(text)s » ne correspond à aucune entrée : choisissez une proposition.",
        "ambiguous": "« %(text)s » ne désigne pas une seule entrée : choisissez une proposition, "
        "par exemple %(proposals)s.",
    }

    def __init__(self, picker_name, **kwargs):
        self.picker_name = picker_name
        kwargs.setdefault("widget", PickerWidget(picker_name))
        # The picker's own hint, read when the form is shown (pickers register after forms load).
        kwargs.setdefault(
            "help_text", lazy(lambda: get_picker(picker_name).placeholder_help, str)()
        )
        super().__init__(**kwargs)

    @property
    def picker(self):
        return get_picker(self.picker_name)

    def to_python(self, value):
        if not isinstance(value, dict):
            return None if value in (None, "") else self._by_code_or_text(str(value), str(value))
        code, text = value.get("code", "").strip(), value.get("text", "").strip()
        if not code and not text:
            return None
        return self._by_code_or_text(code, text)

    def _by_code_or_text(self, code, text):
        chosen = self.picker.get(code) if code else None
        if chosen is not None and (not text or self.picker.label_of(chosen) == text):
            return chosen
        resolved = self.picker.resolve(text) if text else None
        if resolved is None:
            raise self._not_resolved(text or code)
        return resolved

    def _not_resolved(self, text):
        """Without JavaScript, a text matching several entries lists some of them."""
        searchable = len(text) >= self.picker.min_chars
        proposals = [
            f"« {self.picker.label_of(obj)} »"
            for obj in (self.picker.search(text, 4) if searchable else [])
        ]
        if not proposals:
            return ValidationError(
                self.error_messages["unknown"], code="unknown", params={"text": text}
            )
        return ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": text, "proposals": ", ".join(proposals)},
        )

    def prepare_value(self, value):
        return value
