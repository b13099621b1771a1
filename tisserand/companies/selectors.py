"""Reads of the company records that several screens share.

``visible_establishments(membership)`` is the rule of ``perms.py`` as one query: every record
of the network for a role that sees companies, none otherwise. ``CompanyFilters`` is the list's
filtering, in the database; the list's query count does not depend on the number of rows.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from tisserand.companies import perms
from tisserand.companies.models import AdministrativeState, Establishment
from tisserand.companies.records_rules import normalise_siret
from tisserand.core.text import fold

ACTIVE, CLOSED, ALL = "actives", "fermees", "toutes"


def visible_establishments(membership):
    if not perms.sees_companies(membership):
        return Establishment.objects.none()
    return Establishment.objects.all()


def active_establishments(membership):
    return visible_establishments(membership).filter(state=AdministrativeState.ACTIVE)


def same_siren(establishment):
    """The other establishments of the same legal unit, head office first."""
    return (
        Establishment.objects.filter(legal_unit_id=establishment.legal_unit_id)
        .exclude(pk=establishment.pk)
        .select_related("commune", "legal_unit")
        .order_by("-is_head_office", "state", "siret")
    )


def count_by_state():
    """Counts only (the funder's card): active and closed records of the network."""
    active = Establishment.objects.filter(state=AdministrativeState.ACTIVE).count()
    return {"active": active, "total": Establishment.objects.count()}


@dataclass(frozen=True)
class CompanyFilters:
    """The list's filters, cleaned (every one optional)."""

    query: str = ""
    commune: object = None
    epci: object = None
    bassin: object = None
    naf_section: object = None
    naf: object = None
    headcount_band: str = ""
    flag: str = ""
    tag: object = None
    officer: object = None
    state: str = ACTIVE

    def apply(self, queryset):
        queryset = _state(queryset, self.state)
        if self.query:
            queryset = _matching(queryset, self.query)
        if self.commune is not None:
            queryset = queryset.filter(commune=self.commune)
        if self.epci is not None:
            queryset = queryset.filter(commune__epci=self.epci)
        if self.bassin is not None:
            queryset = queryset.filter(commune__bassin=self.bassin)
        if self.naf is not None:
            queryset = queryset.filter(naf=self.naf)
        elif self.naf_section is not None:
            queryset = queryset.filter(naf__section=self.naf_section)
        if self.headcount_band:
            queryset = queryset.filter(headcount_band=self.headcount_band)
        if self.flag:
            queryset = queryset.filter(FLAGS[self.flag][1])
        if self.tag is not None:
            queryset = queryset.filter(tags=self.tag)
        if self.officer is not None:
            queryset = queryset.filter(officer=self.officer)
        return queryset


FLAGS = {
    "siae": ("Structure d'insertion (SIAE)", ~Q(insertion_kind="")),
    "adaptee": ("Entreprise adaptée ou ESAT", ~Q(adapted_kind="")),
    "geiq": ("GEIQ", Q(is_geiq=True)),
    "ess": ("Économie sociale et solidaire", Q(is_social_economy=True)),
    "siege": ("Siège", Q(is_head_office=True)),
}


def _state(queryset, state):
    if state == CLOSED:
        return queryset.filter(state=AdministrativeState.CLOSED)
    if state == ALL:
        return queryset
    return queryset.filter(state=AdministrativeState.ACTIVE)


def _matching(queryset, query):
    """A SIRET (or its beginning, a SIREN) typed with spaces, or every word of a name."""
    digits = normalise_siret(query)
    if digits.isdigit() and len(digits) >= 9:
        following = digits[:-1] + chr(ord(digits[-1]) + 1)
        return queryset.filter(siret__gte=digits, siret__lt=following)
    for word in fold(query).split():
        queryset = queryset.filter(search_name__contains=word)
    return queryset


def listed(queryset):
    """What a line of the list shows, in a bounded number of queries."""
    return queryset.select_related("legal_unit", "naf", "commune").order_by("search_name", "siret")


MASKED_BELOW = 5


def _masked(rows):
    return [(label, count if count >= MASKED_BELOW else None) for label, count in rows]


def counts_by(field, labels):
    """Active records per value of ``field``, with their label; under 5 masked (None)."""
    rows = (
        Establishment.objects.filter(state=AdministrativeState.ACTIVE)
        .values_list(field)
        .annotate(n=Count("pk"))
        .order_by(field)
    )
    return _masked([(labels.get(value, value or "Non renseigné"), n) for value, n in rows])
