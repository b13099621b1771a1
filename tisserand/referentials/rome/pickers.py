"""Pickers for forms: a job title (appellation), a ROME fiche, a skill, a NAF sub-class."""

from tisserand.core import pickers
from tisserand.referentials.rome import search
from tisserand.referentials.rome.models import Appellation, Fiche, NafSubclass, Skill
from tisserand.referentials.rome.text import normalize


def _code_ogr(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


class AppellationPicker(pickers.Picker):
    """A job title; its fiche follows (``obj.fiche``). Value: the appellation's code OGR."""

    name = "appellation"
    placeholder_help = "Intitulé de métier ou code ROME, puis choisissez une proposition."

    def search(self, query, limit):
        return search.search_appellations(query, limit, partial=False)

    def get(self, value):
        code = _code_ogr(value)
        if code is None:
            return None
        return Appellation.objects.select_related("fiche").filter(code_ogr=code).first()

    def value_of(self, obj):
        return str(obj.code_ogr)

    def label_of(self, obj):
        return f"{obj.label} ({obj.fiche.code})"

    def resolve(self, text):
        """Also accepts a job title typed exactly, without its code."""
        found = super().resolve(text)
        if found is not None:
            return found
        same = list(
            Appellation.objects.select_related("fiche").filter(
                search_text=normalize(text), is_obsolete=False
            )[:2]
        )
        return same[0] if len(same) == 1 else None


class FichePicker(pickers.Picker):
    """A ROME 4.0 fiche, found by code or by any of its job titles. Value: the ROME code."""

    name = "rome"
    placeholder_help = "Code ROME ou intitulé de métier, puis choisissez une proposition."

    def search(self, query, limit):
        return search.search_fiches(query, limit, partial=False)

    def get(self, value):
        return Fiche.objects.filter(code=(value or "").strip().upper()).first()

    def value_of(self, obj):
        return obj.code

    def label_of(self, obj):
        return f"{obj.code} — {obj.label}"


class SkillPicker(pickers.Picker):
    """A skill (savoir-faire, savoir-être, savoir). Value: its code OGR."""

    name = "competence"
    placeholder_help = "Quelques mots de la compétence, puis choisissez une proposition."

    def search(self, query, limit):
        return search.search_skills(query, limit, partial=False)

    def get(self, value):
        code = _code_ogr(value)
        return Skill.objects.filter(code_ogr=code).first() if code is not None else None

    def value_of(self, obj):
        return str(obj.code_ogr)

    def label_of(self, obj):
        return f"{obj.label} ({obj.get_kind_display().lower()})"


class NafPicker(pickers.Picker):
    """A NAF rév. 2 sub-class, by code (with or without the dot) or label. Value: ``6201Z``."""

    name = "naf"
    placeholder_help = "Code NAF (62.01Z) ou activité, puis choisissez une proposition."

    def search(self, query, limit):
        return search.search_naf(query, limit, partial=False)

    def get(self, value):
        code = (value or "").replace(".", "").replace(" ", "").upper()
        return NafSubclass.objects.filter(code=code).first() if code else None

    def value_of(self, obj):
        return obj.code

    def label_of(self, obj):
        return f"{obj.dotted_code} — {obj.label}"


appellation_picker = AppellationPicker()
fiche_picker = FichePicker()
skill_picker = SkillPicker()
naf_picker = NafPicker()
ALL = (appellation_picker, fiche_picker, skill_picker, naf_picker)
