"""Who may see and change a person's record. Plain predicates, default deny.

- A funder sees no person at all.
- The référent and the team (active ``FollowUpMember`` with role référent or équipe, for the
  structure the user acts for) see the whole record and may change it.
- The administrator and the director of a structure that follows the person (the owner
  structure, or a structure with an active référent or team member) see the record; the
  administrator may change it. Neither sees the special-category data (RQTH, health, justice).
- A partner (a member of a structure the person consented to share with, acting as partner or
  added to the follow-up as « partenaire, lecture ») sees only the consented scopes.
- Nobody else — in particular nobody of another structure — sees the person.

``people.selectors.visible_persons(membership)`` states the same rules as one query.
"""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from tisserand.core.records import RecordContext
from tisserand.people import consent_scopes
from tisserand.people.models import (
    CARING_ROLES,
    Consent,
    ConsentScope,
    FollowUpMember,
    FollowUpRole,
    NoteVisibility,
    Person,
    PublicStatus,
)
from tisserand.structures.roles import Capability, Role, has_capability

FULL, SHARED, NONE = "full", "shared", "none"


@dataclass(frozen=True)
class PersonAccess:
    """What one membership may do with one person, computed once (a few queries)."""

    level: str  # FULL, SHARED or NONE
    scopes: frozenset
    follow_up_roles: frozenset
    can_edit: bool

    @property
    def sees(self):
        return self.level != NONE

    @property
    def sees_whole(self):
        return self.level == FULL

    @property
    def cares(self):
        """Référent or team member: special-category data and journal notes."""
        return bool(self.follow_up_roles & CARING)

    @property
    def is_referent(self):
        return FollowUpRole.REFERENT in self.follow_up_roles

    def sees_scope(self, scope):
        return self.level != NONE and scope in self.scopes

    @property
    def note_levels(self):
        if self.is_referent:
            return frozenset({NoteVisibility.TEAM, NoteVisibility.REFERENT})
        if self.cares:
            return frozenset({NoteVisibility.TEAM})
        return frozenset()


NO_ACCESS = PersonAccess(NONE, frozenset(), frozenset(), False)
CARING = frozenset(CARING_ROLES)


def sees_people(membership):
    return has_capability(membership, Capability.SEE_PERSONAL_DATA)


def oversees(membership):
    """Administrators and directors see the persons their structure follows."""
    return has_capability(membership, Capability.OVERSEE_STRUCTURE)


def _structure_follows(structure_id, person):
    return (
        person.owner_structure_id == structure_id
        or FollowUpMember.objects.filter(
            person=person, structure_id=structure_id, is_active=True, role__in=CARING_ROLES
        ).exists()
    )


def _consented_scopes(membership, person):
    consent = (
        Consent.objects.filter(
            person=person, structure_id=membership.structure_id, withdrawn_at__isnull=True
        )
        .only("scopes")
        .first()
    )
    if consent is None:
        return frozenset()
    return frozenset(consent.scopes) & consent_scopes.codes()


def access_for(membership, person):
    """The ``PersonAccess`` of ``membership`` to ``person`` (a few queries). A page computes it
    once, through the ``RecordContext`` of the person (``core.records``)."""
    if not sees_people(membership) or person is None or person.pk is None:
        return NO_ACCESS
    roles = frozenset(
        FollowUpMember.objects.filter(
            person=person,
            user_id=membership.user_id,
            structure_id=membership.structure_id,
            is_active=True,
        ).values_list("role", flat=True)
    )
    if roles & CARING:
        return PersonAccess(FULL, consent_scopes.codes(), roles, True)
    if oversees(membership) and _structure_follows(membership.structure_id, person):
        return PersonAccess(
            FULL,
            consent_scopes.codes(),
            roles,
            has_capability(membership, Capability.EDIT_AS_MANAGER),
        )
    if membership.role == Role.PARTNER or FollowUpRole.PARTNER_READER in roles:
        scopes = _consented_scopes(membership, person)
        if scopes:
            return PersonAccess(SHARED, scopes, roles, False)
    return PersonAccess(NONE, frozenset(), roles, False)


def can_view_person(membership, person):
    return access_for(membership, person).sees


def can_view_whole_person(membership, person):
    return access_for(membership, person).sees_whole


def can_edit_person(membership, person):
    return access_for(membership, person).can_edit


def is_referent_of(membership, person):
    return access_for(membership, person).is_referent


def can_view_special_category(membership, person):
    """RQTH, health, justice: the référent and the team only."""
    return access_for(membership, person).cares


def can_view_shared_scope(membership, person, scope):
    """Whether this membership sees that part of the record (partners: through consent)."""
    return access_for(membership, person).sees_scope(scope)


def visible_note_levels(membership, person):
    """The note visibilities this membership reads on this person."""
    return access_for(membership, person).note_levels


def can_create_person(membership):
    return sees_people(membership)


def can_list_persons(membership):
    return sees_people(membership)


def can_manage_consent(membership, person):
    return can_edit_person(membership, person)


def can_write_notes(membership, person):
    return access_for(membership, person).cares


# --- Rules of the views about one person (``@rule(…, load=person_record)``) --------------------


def person_record(request, public_id, **_other_url_kwargs):
    """The person the URL designates (404 when absent), seen by the current membership."""
    person = get_object_or_404(
        Person.objects.select_related("owner_structure", "commune", "referrer_structure"),
        public_id=public_id,
    )
    return RecordContext("person", person, getattr(request, "membership", None), request)


def person_of(request, person_id, **_other_url_kwargs):
    """``person_record`` for the URLs that name the person ``person_id`` (another object's
    pages: an appointment to book, an accompaniment to open)."""
    return person_record(request, person_id)


def may_view(membership, record):
    return record.access.sees


def may_view_whole(membership, record):
    return record.access.sees_whole


def may_view_identity(membership, record):
    return record.access.sees_scope(ConsentScope.IDENTITY)


def may_view_situation(membership, record):
    return record.access.sees_scope(ConsentScope.SITUATION)


def may_edit(membership, record):
    return record.access.can_edit


def may_keep_journal(membership, record):
    return record.access.cares


def may_merge(membership, record):
    """The référent, the team or the administrator of the owner structure."""
    return record.access.can_edit and membership.structure_id == record.record.owner_structure_id


def may_hold(membership, record):
    """The administrator of the structure that owns the record places and lifts its legal
    hold."""
    return (
        membership is not None
        and membership.role == Role.ADMIN
        and membership.structure_id == record.record.owner_structure_id
    )


def sees_retention(record_context):
    """« Conservation du dossier »: the référent, and the owner structure's administrator."""
    return record_context.access.is_referent or may_hold(record_context.membership, record_context)


def merge_pair(request, public_id, other_id):
    """The person kept and the duplicate to merge into it."""
    return person_record(request, public_id), person_record(request, other_id)


def may_merge_pair(membership, pair):
    return all(may_merge(membership, record) for record in pair)


def person_status(request, public_id, status_id):
    """A stored public status of the person the URL designates (404 when absent)."""
    record = person_record(request, public_id)
    return record, get_object_or_404(PublicStatus, pk=status_id, person=record.record)


def may_edit_status(membership, record_and_status):
    """Special-category statuses (RQTH…) are changed by the référent and the team only."""
    record, status = record_and_status
    return may_edit(membership, record) and (record.access.cares or not status.is_special_category)


# --- Rules of the supporting documents (``core.documents.attachables``) ------------------------


def record_of(request, person):
    """The ``RecordContext`` of a person already loaded (a document's owner)."""
    return RecordContext("person", person, getattr(request, "membership", None), request)


def may_open_person_document(membership, record):
    """A document of the record itself (an eligibility proof…): whoever sees the whole record."""
    return record.access.sees_whole


def may_open_status_document(membership, record_and_status):
    """A status's proof: whoever sees the situation; a sensitive one, the référent and team."""
    record, status = record_and_status
    return may_view_situation(membership, record) and (
        record.access.cares or not status.is_special_category
    )


def may_add_documents(membership, record):
    return record.access.can_edit
