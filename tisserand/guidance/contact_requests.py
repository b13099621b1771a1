"""What a counsellor does with a public contact request: assign it to a counsellor, create the
person's record from it (through ``people.creation``, duplicates checked), then book the first
appointment."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.structures.models import Membership
from tisserand.structures.roles import Capability, roles_with


class ContactRequestError(DomainError, ValueError):
    code = "contact_request"


def assignees(structure):
    """The counsellors of ``structure`` a request can be given to."""
    members = Membership.objects.active().filter(
        structure=structure, role__in=roles_with(Capability.MEET_PERSONS)
    )
    return (
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"))
        .order_by("last_name", "first_name", "email")
    )


@transaction.atomic
def assign(contact_request, *, data, actor):
    """Gives the request to ``data["assigned_to"]``, a counsellor of the actor's structure."""
    user = data["assigned_to"]
    if not assignees(actor.structure).filter(pk=user.pk).exists():
        raise ContactRequestError(f"{user} n'accompagne pas de personnes à {actor.structure}.")
    contact_request.assigned_to = user
    contact_request.save(update_fields=["assigned_to"])
    timeline.record(
        contact_request,
        TimelineEvent.Verb.ACTION,
        f"Demande de contact attribuée à {user}",
        actor=actor.user,
        structure=actor.structure,
    )
    return contact_request


@transaction.atomic
def attach_person(contact_request, person, *, actor):
    """The person's record was created from the request: the request is handled by the actor
    (and assigned to them if nobody was)."""
    if contact_request.person_id is not None:
        raise ContactRequestError("Une fiche a déjà été créée à partir de cette demande.")
    contact_request.person = person
    contact_request.assigned_to = contact_request.assigned_to or actor.user
    contact_request.handled_at = timezone.now()
    contact_request.handled_by = actor.user
    contact_request.save(update_fields=["person", "assigned_to", "handled_at", "handled_by"])
    timeline.record(
        contact_request,
        TimelineEvent.Verb.STATUS_CHANGED,
        "Fiche de la personne créée depuis la demande de contact",
        actor=actor.user,
        structure=actor.structure,
    )
    timeline.record(
        person,
        TimelineEvent.Verb.ACTION,
        "Fiche créée depuis une demande de contact (orientation en libre accès)",
        actor=actor.user,
        structure=actor.structure,
        about=person,
    )
    return contact_request


def person_initial(contact_request):
    """What the request already says of the person, for the record's form."""
    return {
        "first_name": contact_request.first_name,
        "last_name": contact_request.last_name,
        "email": contact_request.email,
        "phone": contact_request.phone,
    }
