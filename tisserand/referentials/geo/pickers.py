"""The commune picker: by name (accents ignored), postal code or INSEE code."""

from tisserand.core import pickers
from tisserand.referentials.geo import cog, services
from tisserand.referentials.geo.text import search_key


class CommunePicker(pickers.Picker):
    name = "commune"
    placeholder_help = "Nom, code postal ou code INSEE ; choisissez ensuite une proposition."

    def search(self, query, limit):
        return list(services.search_communes(query, limit))

    def get(self, value):
        value = (value or "").strip()
        return services.commune_by_insee_code(value) if value else None

    def value_of(self, obj):
        return obj.insee_code

    def label_of(self, obj):
        postal_codes = [postal.code for postal in obj.postal_codes.all()]
        detail = postal_codes[0] if postal_codes else obj.insee_code[:2]
        if len(postal_codes) > 1:
            detail += "…"
        label = f"{obj.name} ({detail})"
        return f"{label}, ancienne commune" if obj.is_former else label

    def resolve(self, text):
        """The commune a typed text designates: a postal code of a single commune, an INSEE
        code, an exact label, a name that one current commune alone bears."""
        text = text.strip()
        if cog.is_postal_code(text):
            by_postal_code = services.commune_for_postal_code(text)
            if by_postal_code:
                return by_postal_code[0] if len(by_postal_code) == 1 else None
        found = super().resolve(text)
        if found is not None:
            return found
        name = text.split(" (")[0]
        proposals = self.search(name, 50) if len(name) >= self.min_chars else []
        for proposal in proposals:
            if self.label_of(proposal) == text:
                return proposal
        key = search_key(text)
        same_name = [c for c in proposals if c.search_name == key and not c.is_former]
        return same_name[0] if len(same_name) == 1 else None


commune_picker = CommunePicker()
