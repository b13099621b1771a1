"""Reads of the company records that several screens share.

``visible_establishments(membership)`` is the rule of ``perms.py`` as one query: every record
of the network for a role that sees companies, none otherwise. ``CompanyFilters`` is the list's
filtering, in the database; the list's query count does not depend on the number of rows.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q

from tisserand.companies import perms
from tisserand.companies.models import AdministrativeState, Establishment, LegalUnit
from tisserand.companies.records_rules import normalise_siret
from tisserand.core.text import fold
from tisserand.referentials.geo import areas
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.rome.models import NafSubclass

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
        queryset = areas.within(queryset, epci=self.epci, bassin=self.bassin)
        if self.naf is not None:
            queryset = queryset.filter(naf=self.naf)
        elif self.naf_section is not None:
            queryset = queryset.filter(
                naf_id__in=NafSubclass.objects.filter(section=self.naf_section).values("pk")
            )
        if self.headcount_band:
            queryset = queryset.filter(headcount_band=self.headcount_band)
        if self.flag:
            queryset = queryset.filter(FLAGS[self.flag][1])
        if self.tag is not None:
            tagged = Establishment.tags.through.objects.filter(tag=self.tag)
            queryset = queryset.filter(pk__in=tagged.values("establishment_id"))
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
    if digits.isdigit() and len(digits) == 14:
        return queryset.filter(siret=digits)
    if digits.isdigit() and len(digits) == 9:
        # The legal unit first (its unique index), then an equality the list's index serves.
        unit = LegalUnit.objects.filter(siren=digits).values_list("pk", flat=True).first()
        return queryset.filter(legal_unit_id=unit) if unit else queryset.none()
    if digits.isdigit() and len(digits) > 9:
        following = digits[:-1] + chr(ord(digits[-1]) + 1)
        return queryset.filter(
            pk__in=Establishment.objects.filter(siret__gte=digits, siret__lt=following).values("pk")
        )
    for word in fold(query).split():
        queryset = queryset.filter(search_name__contains=word)
    return queryset


ORDER = ("search_name", "siret")


def listed(queryset):
    """What a line of the list shows, in a bounded number of queries."""
    return queryset.select_related("legal_unit", "naf", "commune").order_by(*ORDER)


def page_of(queryset, number, size):
    """One page of the list in three queries whatever the number of rows: the count and the
    page's ids, answered from an index, then the page's rows with what a line shows (sorting
    whole rows of a large result would read them all)."""
    ids = Paginator(queryset.order_by(*ORDER).values_list("pk", flat=True), size)
    page = ids.get_page(number)
    wanted = list(page.object_list)
    rows = {e.pk: e for e in listed(Establishment.objects.filter(pk__in=wanted))}
    page.object_list = [rows[pk] for pk in wanted]
    return page


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


TERRITORIES_KEY = "companies:territories"
TERRITORIES_SECONDS = 600


def territories_with_companies():
    """(EPCI ids, bassin ids) of the communes that have companies, for the list's filters: one
    query, kept in the cache until a record is created, moved or imported
    (``forget_territories``) or ten minutes have passed."""
    found = cache.get(TERRITORIES_KEY)
    if found is None:
        pairs = (
            Commune.objects.filter(pk__in=Establishment.objects.values("commune_id"))
            .values_list("epci_id", "bassin_id")
            .distinct()
        )
        epcis, bassins = set(), set()
        for epci_id, bassin_id in pairs:
            epcis.add(epci_id)
            bassins.add(bassin_id)
        found = (sorted(epcis - {None}), sorted(bassins - {None}))
        cache.set(TERRITORIES_KEY, found, TERRITORIES_SECONDS)
    return found


def forget_territories():
    cache.delete(TERRITORIES_KEY)
