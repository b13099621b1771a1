"""Forms of the « Paramétrage » pages: the programmes and the suggested actions.

Each answers in French next to the field and changes nothing on bad input. Labels are compared
whatever their case, accented capitals included, in Python (``casefold``): SQLite's ``lower``
only folds ASCII.
"""

from django import forms
from django.core.validators import RegexValidator

from tisserand.accompaniment.models import Programme, SuggestedAction
from tisserand.accompaniment.settings_services import CODE_LOCKED
from tisserand.referentials.vocabularies import api as vocabularies
from tisserand.referentials.vocabularies.forms import term_choice_field

CODE_FORMAT = RegexValidator(
    r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$",
    "Le code ne contient que des lettres minuscules sans accent, des chiffres, des tirets ou "
    "des tirets bas (par exemple « clause_locale »).",
    code="invalid",
)
NEGATIVE_ORDER = "L'ordre est un nombre positif ou nul (0, 10, 20…)."
ORDER_HELP = "Les plus petits nombres apparaissent en premier dans les listes."


def _order_field():
    return forms.IntegerField(
        label="Ordre",
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=ORDER_HELP,
        error_messages={"min_value": NEGATIVE_ORDER, "invalid": NEGATIVE_ORDER},
    )


def _taken(queryset, label, instance):
    """Whether another row of ``queryset`` already has ``label``, whatever its case."""
    wanted = label.casefold()
    others = queryset.exclude(pk=instance.pk) if instance.pk else queryset
    return any(other.casefold() == wanted for other in others.values_list("label", flat=True))


class ProgrammeForm(forms.ModelForm):
    """Adding or editing a programme. The code is locked once accompaniments use it."""

    order = _order_field()

    class Meta:
        model = Programme
        fields = ["code", "label", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": "Identifiant stable : lettres minuscules, chiffres, tirets. Il ne pourra "
            "plus changer dès qu'un accompagnement utilise le programme.",
        }
        error_messages = {
            "code": {"unique": "Un autre programme a déjà ce code."},
            "label": {"required": "Donnez un libellé au programme."},
        }

    def __init__(self, *args, code_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].validators.append(CODE_FORMAT)
        self.fields["code"].error_messages["required"] = "Donnez un code au programme."
        if code_locked:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = CODE_LOCKED

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_label(self):
        label = self.cleaned_data["label"]
        if _taken(Programme.objects.all(), label, self.instance):
            raise forms.ValidationError("Un autre programme porte déjà ce libellé.", "duplicate")
        return label


class SuggestedActionForm(forms.ModelForm):
    """An action suggested for a barrier theme: a theme, an action type, a label, an order."""

    theme = term_choice_field(
        vocabularies.BARRIER_THEME,
        label="Thématique (frein)",
        error_messages={
            "required": "Choisissez la thématique.",
            "invalid_choice": "Choisissez une thématique de la liste.",
        },
    )
    action_type = term_choice_field(
        vocabularies.ACTION_TYPE,
        label="Type d'action",
        error_messages={
            "required": "Choisissez le type d'action.",
            "invalid_choice": "Choisissez un type d'action de la liste.",
        },
    )
    order = _order_field()

    class Meta:
        model = SuggestedAction
        fields = ["theme", "action_type", "label", "order"]
        error_messages = {"label": {"required": "Décrivez l'action proposée."}}

    def clean(self):
        cleaned = super().clean()
        theme, label = cleaned.get("theme"), cleaned.get("label")
        if theme and label:
            same_theme = SuggestedAction.objects.filter(theme=theme)
            if _taken(same_theme, label, self.instance):
                self.add_error("label", "Cette action est déjà proposée pour cette thématique.")
        return cleaned
