"""Who may see, book and change appointments. Plain predicates, default deny.

Every rule about the person goes through ``people.perms``; this module only adds what is
specific to appointments:

- seeing a person's appointments: whoever sees the person's "Rendez-vous" scope (the référent,
  the team, the administrator and director of a following structure; a partner through consent);
- booking: whoever may change the person's record (référent, team, administrator);
- changing an appointment (moving, cancelling, recording attendance): the same, acting for the
  structure that holds the appointment — or the counsellor who holds it, for that structure;
- the agenda: every role that may meet persons (not funders).
"""

from tisserand.people import perms as people_perms
from tisserand.people.models import ConsentScope
from tisserand.structures.roles import Capability, has_capability


def has_agenda(membership):
    """The agenda page: any member who may meet persons (a funder sees no person)."""
    return has_capability(membership, Capability.SEE_PERSONAL_DATA)


def holds_appointments(membership):
    """Whether the member holds (or held) appointments for the structure they act for."""
    if not has_agenda(membership):
        return False
    from tisserand.appointments.models import Appointment

    return Appointment.objects.filter(
        counsellor_id=membership.user_id, structure_id=membership.structure_id
    ).exists()


def shows_agenda_in_menu(membership):
    """Référents and partner counsellors always; others (director, administrator, clause
    facilitator…) once they hold appointments."""
    if not has_agenda(membership):
        return False
    return has_capability(membership, Capability.MEET_PERSONS) or holds_appointments(membership)


def can_view_appointments(membership, person, access=None):
    access = access or people_perms.access_for(membership, person)
    return access.sees_scope(ConsentScope.APPOINTMENTS)


def can_book(membership, person, access=None):
    access = access or people_perms.access_for(membership, person)
    return access.can_edit


def may_book(membership, record):
    """The rule of the booking page, on the person record its URL designates."""
    return has_agenda(membership) and can_book(membership, record.record, record.access)


def can_change(membership, appointment, access=None):
    """Move, cancel, record attendance: for the structure that holds the appointment."""
    if not has_agenda(membership) or membership.structure_id != appointment.structure_id:
        return False
    return membership.user_id == appointment.counsellor_id or can_book(
        membership, appointment.person, access
    )


def can_view(membership, appointment, access=None):
    access = access or people_perms.access_for(membership, appointment.person)
    return can_change(membership, appointment, access) or can_view_appointments(
        membership, appointment.person, access
    )
