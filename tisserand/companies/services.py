"""Changes to the company records, under the services contract (``data=``, ``actor=``)."""

from django.db import transaction

from tisserand.companies.models import Need
from tisserand.core import timeline
from tisserand.core.errors import DomainError


class CompanyError(DomainError):
    """A broken rule about a company record, with its French message."""


NEED_FIELDS = ("subject", "description", "contact")


@transaction.atomic
def record_need(establishment, *, data, actor):
    """Records a need of ``establishment`` (``data``: subject, description, contact). A
    recruitment need is what the opportunities app turns into an offer, and what a social
    clause's job becomes for the lot's holder."""
    contact = data.get("contact")
    if contact is not None and contact.establishment_id != establishment.pk:
        raise CompanyError("Ce contact n'appartient pas à cet établissement.")
    need = Need(establishment=establishment, created_by=actor.user)
    need.created_by_structure = actor.structure
    timeline.assign(need, {key: data[key] for key in NEED_FIELDS if key in data})
    need.save()
    timeline.record(
        need,
        "need_recorded",
        f"Besoin enregistré : {need.subject}",
        actor=actor.user,
        structure=actor.structure,
        about=establishment,
    )
    return need
