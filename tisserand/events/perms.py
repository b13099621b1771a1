"""Who may see, organise and register to events. Plain predicates, default deny.

- **Seeing an event**: the organiser structure's members and its partner structures' for an
  internal event; every member of a structure (not funders) for a network or public event;
  anyone on the public pages for a public one.
- **Organising** (edit, sessions, attendance, sign-in sheet, company contacts, job dating
  companies, export): a member of the organiser structure whose role has ``ORGANISE_EVENTS``
  (a director, who has it, too).
- **Registering or inviting persons**: a member who sees personal data and sees the event,
  for the persons they see (``people.selectors.visible_persons``: their caseload, the persons
  of their structure for a director…); a partner professional registers their own people.
- **A person's registration** is seen by the organiser structure's members who see personal
  data, and by the members of the structure that registered it who see that person — never by
  another partner (they see counts only). A public registrant's data is seen by the organiser
  only, and used for that event only.
"""

from django.shortcuts import get_object_or_404

from tisserand.events.models import Event, InterviewSlot, Registration, Session, Visibility
from tisserand.people.selectors import visible_persons
from tisserand.structures.roles import Capability, has_capability


def sees_events(membership):
    return has_capability(membership, Capability.SEE_PERSONAL_DATA)


def may_create(membership):
    return has_capability(membership, Capability.ORGANISE_EVENTS)


def is_organiser(membership, event):
    return may_create(membership) and membership.structure_id == event.structure_id


def is_organiser_member(membership, event):
    """A member of the organiser structure who sees personal data (reads registrations)."""
    return sees_events(membership) and membership.structure_id == event.structure_id


def _partner_ids(event):
    return {structure.pk for structure in event.partners.all()}


def may_view(membership, event):
    if not sees_events(membership):
        return False
    if membership.structure_id == event.structure_id:
        return True
    if event.visibility != Visibility.INTERNAL:
        return True
    return membership.structure_id in _partner_ids(event)


def may_register_persons(membership, event):
    return may_view(membership, event) and not event.is_cancelled


def visible_events(membership):
    """The events this membership sees, as one queryset (the rule of ``may_view``)."""
    from django.db.models import Q

    if not sees_events(membership):
        return Event.objects.none()
    structure = membership.structure_id
    return Event.objects.filter(
        Q(structure_id=structure) | ~Q(visibility=Visibility.INTERNAL) | Q(partners=structure)
    ).distinct()


def visible_registrations(membership, event, registrations):
    """Of ``registrations`` (of ``event``), those this membership may read with names."""
    if is_organiser_member(membership, event):
        return registrations
    if not sees_events(membership):
        return registrations.none()
    return registrations.filter(
        registered_by_structure_id=membership.structure_id,
        person__in=visible_persons(membership),
    )


# --- Loaders -----------------------------------------------------------------------------------


def event_of(request, public_id, **_):
    return get_object_or_404(
        Event.objects.select_related("structure", "commune", "hr_club"), public_id=public_id
    )


def session_of(request, public_id, **_):
    return get_object_or_404(
        Session.objects.select_related("event__structure", "event__commune"),
        public_id=public_id,
    )


def registration_of(request, public_id, **_):
    return get_object_or_404(
        Registration.objects.select_related(
            "session__event__structure", "person", "contact__establishment"
        ),
        public_id=public_id,
    )


def slot_of(request, pk, **_):
    return get_object_or_404(
        InterviewSlot.objects.select_related(
            "company__event__structure", "company__establishment", "candidate__person"
        ),
        pk=pk,
    )


# --- Rules on loaded objects -----------------------------------------------------------------


def may_organise(membership, event):
    return is_organiser(membership, event)


def may_organise_session(membership, session):
    return is_organiser(membership, session.event)


def may_cancel_registration(membership, registration):
    """The organiser, or the structure that registered a person it sees."""
    event = registration.session.event
    if is_organiser(membership, event):
        return True
    return (
        sees_events(membership)
        and registration.registered_by_structure_id == membership.structure_id
        and registration.person_id is not None
        and visible_persons(membership).filter(pk=registration.person_id).exists()
    )


def may_propose_candidates(membership, event):
    return (
        has_capability(membership, Capability.PROPOSE_CANDIDATES) or is_organiser(membership, event)
    ) and may_view(membership, event)


def may_fill_slot(membership, slot):
    return is_organiser(membership, slot.company.event)


def leads(membership, establishment):
    """The leader portal's rule: its loader (``companies.portal.leader_establishment``) has
    already answered 404 to anyone but an active leader of the establishment."""
    return establishment is not None


def may_see_satisfaction(membership):
    return may_create(membership)


def may_edit_messages(membership):
    return has_capability(membership, Capability.MANAGE_MEMBERS)
