"""Who may see, book and change appointments. Plain predicates, default deny.

Every rule about the person goes through ``people.perms``; this module only adds what is
specific to appointments:

- seeing a person's appointments: whoever sees the person's "Rendez-vous" scope (the référent,
  the team, the administrator and director of a following structure; a partner through consent);
- booking: whoever may change the person's record (référent, team, administrator);
- changing an appointment (moving, cancelling, recording attendance): the same, acting for the
  structure that holds the appointment — or the counsellor who holds it, for that structure;
- the agenda: every role that may meet persons (not funders);
- a colleague's agenda (team agenda), and booking in it: a director for every member of the
  structure, a référent for the colleagues who share the follow-up of their persons — always
  within the structure they act for.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404

from tisserand.people import perms as people_perms
from tisserand.people.models import CARING_ROLES, ConsentScope, FollowUpMember, FollowUpRole
from tisserand.structures.models import Membership
from tisserand.structures.roles import ROLES_SEEING_PERSONAL_DATA, Capability, has_capability


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


# --- Team agenda ------------------------------------------------------------------------------


def agenda_colleagues(membership):
    """The colleagues whose agenda ``membership`` may open and book in (themselves excluded):
    active members of the same structure holding a role that meets persons; for a référent,
    only those in the follow-up team of a person they are the référent of."""
    if not has_agenda(membership):
        return get_user_model().objects.none()
    structure = membership.structure_id
    members = Membership.objects.filter(
        structure_id=structure, is_active=True, role__in=ROLES_SEEING_PERSONAL_DATA
    ).values("user_id")
    colleagues = (
        get_user_model()
        .objects.filter(pk__in=members, is_active=True)
        .exclude(pk=membership.user_id)
        .order_by("last_name", "first_name")
    )
    if has_capability(membership, Capability.OPEN_STRUCTURE_AGENDAS):
        return colleagues
    if not has_capability(membership, Capability.OPEN_TEAM_AGENDAS):
        return colleagues.none()
    my_persons = FollowUpMember.objects.filter(
        user_id=membership.user_id,
        structure_id=structure,
        is_active=True,
        role=FollowUpRole.REFERENT,
    ).values("person_id")
    team = FollowUpMember.objects.filter(
        person_id__in=my_persons,
        structure_id=structure,
        is_active=True,
        role__in=CARING_ROLES,
    ).values("user_id")
    return colleagues.filter(pk__in=team)


def colleague_of(request, user_id, **_other_url_kwargs):
    """The user the URL names (404 when unknown): the loader of the team-agenda rules."""
    return get_object_or_404(get_user_model(), public_id=user_id)


def may_open_agenda_of(membership, colleague):
    return agenda_colleagues(membership).filter(pk=colleague.pk).exists()


@dataclass(frozen=True)
class AgendaBooking:
    """A booking in a colleague's agenda: the colleague and the person's record."""

    colleague: object
    person: object  # the person's RecordContext

    @property
    def record(self):
        return self.person.record


def agenda_booking(request, user_id, **_other_url_kwargs):
    """The colleague of the URL and the person of ``?personne=`` (404 when either is absent)."""
    try:
        person_id = uuid.UUID(request.GET.get("personne", ""))
    except ValueError as error:  # a malformed id is as absent as an unknown one
        raise Http404("Personne inconnue.") from error
    colleague = colleague_of(request, user_id)
    return AgendaBooking(colleague, people_perms.person_record(request, person_id))


def colleague_follows(membership, colleague, person):
    return FollowUpMember.objects.filter(
        person=person,
        user=colleague,
        structure_id=membership.structure_id,
        is_active=True,
        role__in=CARING_ROLES,
    ).exists()


def may_book_in_agenda_of(membership, booking):
    """Book for a person the colleague follows in the structure, from the colleague's agenda:
    whoever may open that agenda and see the person's appointments."""
    return (
        may_open_agenda_of(membership, booking.colleague)
        and colleague_follows(membership, booking.colleague, booking.record)
        and can_view_appointments(membership, booking.record, booking.person.access)
    )
