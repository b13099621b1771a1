"""Territories above the commune — EPCI and bassin d'emploi — as filters and choices that the
lists of several apps share (companies, events)."""

from tisserand.referentials.geo.models import BassinEmploi, Commune, Epci


def within(queryset, *, epci=None, bassin=None, field="commune"):
    """``queryset`` narrowed to the records whose ``field`` (a commune) lies in ``epci`` and in
    ``bassin`` (each optional). Uncorrelated subqueries rather than joins: a list's index on
    the commune then answers from the index alone, and the query count does not change."""
    for level, area in (("epci", epci), ("bassin", bassin)):
        if area is not None:
            communes = Commune.objects.filter(**{level: area}).values("pk")
            queryset = queryset.filter(**{f"{field}_id__in": communes})
    return queryset


def epcis_of(commune_ids):
    """The EPCI of the communes ``commune_ids`` (a ``values()`` queryset): lazy, one query."""
    return Epci.objects.filter(pk__in=_areas_of(commune_ids, "epci_id"))


def bassins_of(commune_ids):
    """The bassins d'emploi of the communes ``commune_ids``: lazy, one query."""
    return BassinEmploi.objects.filter(pk__in=_areas_of(commune_ids, "bassin_id"))


def _areas_of(commune_ids, column):
    return Commune.objects.filter(pk__in=commune_ids, **{f"{column}__isnull": False}).values(column)
