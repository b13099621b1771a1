"""Who may see and change the company records. Plain predicates, default deny.

- Every role with ``SEE_COMPANIES`` (officers of every structure of the network) sees all the
  companies of the network: a company record is shared, one per SIRET.
- Roles with ``MANAGE_COMPANIES`` create and edit them (identity, contacts, tags, officer) and
  import files.
- A funder reads counts only (``READ_INDICATORS``): no list, no page.
- Anonymous users and users acting for no structure see nothing.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from tisserand.companies.models import Contact, Establishment
from tisserand.core.records import RecordContext
from tisserand.structures.roles import Capability, has_capability


@dataclass(frozen=True)
class CompanyAccess:
    """What one membership may do with one company record."""

    sees: bool
    can_edit: bool


NO_ACCESS = CompanyAccess(False, False)


def sees_companies(membership):
    return has_capability(membership, Capability.SEE_COMPANIES)


def manages_companies(membership):
    return has_capability(membership, Capability.MANAGE_COMPANIES)


def counts_companies(membership):
    """The funder's count card: counts only, for readers of indicators who see no company."""
    return has_capability(membership, Capability.READ_INDICATORS) and not sees_companies(membership)


def access_for(membership, establishment):
    if establishment is None or establishment.pk is None or not sees_companies(membership):
        return NO_ACCESS
    return CompanyAccess(True, manages_companies(membership))


# --- Rules of the views about one company (``@rule(…, load=company_record)``) ----------------


def company_record(request, public_id, **_other_url_kwargs):
    """The company the URL designates (404 when absent), seen by the current membership."""
    establishment = get_object_or_404(
        Establishment.objects.select_related(
            "legal_unit",
            "naf__section",
            "commune__bassin",
            "commune__epci",
            "officer",
            "officer_structure",
        ),
        public_id=public_id,
    )
    return RecordContext("company", establishment, getattr(request, "membership", None), request)


def company_contact(request, public_id, contact_id, **_other_url_kwargs):
    """A contact of the company the URL designates (404 when it is another company's)."""
    record = company_record(request, public_id)
    return record, get_object_or_404(Contact, public_id=contact_id, establishment=record.record)


def may_view(membership, record):
    return record.access.sees


def may_edit(membership, record):
    return record.access.can_edit


def may_edit_contact(membership, record_and_contact):
    record, _contact = record_and_contact
    return record.access.can_edit


def can_list(membership):
    return sees_companies(membership)


def can_create(membership):
    return manages_companies(membership)


def can_import(membership):
    return manages_companies(membership)


def can_count(membership):
    """Counts of the network's companies: whoever sees them, and the readers of indicators."""
    return sees_companies(membership) or has_capability(membership, Capability.READ_INDICATORS)
