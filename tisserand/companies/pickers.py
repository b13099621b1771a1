"""The ``establishment`` picker, for the forms of other apps (an offer's employer, an event's
participant, a clause's holder…): an active establishment, by name or SIRET."""

from tisserand.companies import perms, selectors
from tisserand.companies.models import AdministrativeState, Establishment
from tisserand.core import pickers


class EstablishmentPicker(pickers.Picker):
    name = "establishment"
    placeholder_help = "Nom ou SIRET de l'entreprise, puis choisissez une proposition."

    def _active(self):
        return Establishment.objects.filter(state=AdministrativeState.ACTIVE).select_related(
            "legal_unit", "commune"
        )

    def search(self, query, limit):
        found = selectors.CompanyFilters(query=query).apply(self._active())
        return list(found.order_by("search_name", "siret")[:limit])

    def get(self, value):
        value = "".join((value or "").split())
        if len(value) != 14 or not value.isdigit():
            return None
        return self._active().filter(siret=value).first()

    def value_of(self, obj):
        return obj.siret

    def label_of(self, obj):
        place = f", {obj.commune.name}" if obj.commune and not obj.hides_address else ""
        return f"{obj.display_name} ({obj.siret}{place})"

    def allowed(self, membership):
        return perms.sees_companies(membership)


establishment_picker = EstablishmentPicker()
