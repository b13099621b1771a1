"""Changes to the company records, under the services contract (``data=``, ``actor=``)."""

from django.db import transaction

from tisserand.companies.models import Need
from tisserand.core import timeline
from tisserand.core.errors import DomainError


class CompanyError(DomainError):
    """A broken rule about a company record, with its French message."""


NEED_FIELDS = ("subject", "description", "contact")


@transaction.atomic
def record_need(establishment, *, data, actor, from_leader=False):
    """Records a need of ``establishment`` (``data``: subject, description, contact), by an
    officer or — ``from_leader``, through ``needs.record_need_from_leader`` — by the company's
    leader in the portal. A recruitment need is what the opportunities app turns into an offer,
    and what a social clause's job becomes for the lot's holder: it is announced through the
    ``RECRUITMENT_NEED_OPENED`` hook of ``companies/hooks.py``, after the commit. The needs'
    routing, answers and computed status are in ``needs``."""
    from tisserand.companies import hooks

    contact = data.get("contact")
    if contact is not None and contact.establishment_id != establishment.pk:
        raise CompanyError("Ce contact n'appartient pas à cet établissement.")
    subject = data.get("subject")
    if subject is None:
        raise CompanyError("Choisissez le sujet du besoin.")
    if not subject.is_active:
        raise CompanyError(f"Le sujet « {subject} » n'est plus proposé.")
    need = Need(establishment=establishment, created_by=actor.user, from_leader=from_leader)
    need.created_by_structure = actor.structure
    timeline.assign(need, {key: data[key] for key in NEED_FIELDS if key in data})
    need.save()
    who = " par le dirigeant" if from_leader else ""
    timeline.record(
        need,
        "need_recorded",
        f"Besoin enregistré{who} : {need.subject}",
        actor=actor.user,
        structure=actor.structure,
        about=establishment,
    )
    if need.is_recruitment:
        transaction.on_commit(
            lambda: hooks.hooks.call(hooks.RECRUITMENT_NEED_OPENED, need, actor=actor)
        )
    return need
