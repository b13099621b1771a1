"""The sections the companies app contributes to the company page (``core.records``): identity
and address, activity and flags, the establishments of the same SIREN, contacts, tags, officer.

Each context makes a bounded number of queries. The address of a non-diffusible establishment,
and the name of a non-diffusible individual entrepreneur, are never put in a context.
"""

from tisserand.companies import selectors
from tisserand.companies.models import HeadcountBand


def sees(record):
    return record.access.sees


def identity(record):
    company = record.record
    return {
        "shows_address": not company.hides_address,
        "can_edit": record.access.can_edit,
    }


def activity(record):
    company = record.record
    flags = [
        label
        for label in (
            company.get_insertion_kind_display() if company.insertion_kind else "",
            company.get_adapted_kind_display() if company.adapted_kind else "",
            "Groupement d'employeurs pour l'insertion et la qualification (GEIQ)"
            if company.is_geiq
            else "",
            "Économie sociale et solidaire (ESS)" if company.is_social_economy else "",
        )
        if label
    ]
    return {
        "flags": flags,
        "headcount_label": HeadcountBand(company.headcount_band).label,
        "headcount_known": company.headcount_band != HeadcountBand.NONE,
    }


def establishments(record):
    return {"siblings": list(selectors.same_siren(record.record)[:50])}


def contacts(record):
    company = record.record
    return {
        "contacts": list(company.contacts.order_by("-is_active", "last_name", "first_name")),
        "can_edit": record.access.can_edit,
    }


def tags(record):
    return {"tags": list(record.record.tags.all()), "can_edit": record.access.can_edit}


def officer(record):
    return {"can_edit": record.access.can_edit}
