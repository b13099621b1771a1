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

``visible_persons(membership)`` states the same rules as one query.
"""

from django.db.models import Exists, OuterRef, Q

from tisserand.people.models import (
    CARING_ROLES,
    Consent,
    ConsentScope,
    FollowUpMember,
    FollowUpRole,
    NoteVisibility,
    Person,
)
from tisserand.structures.roles import Role

MANAGING_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR})
EDITING_MANAGERS = frozenset({Role.ADMIN})
ALL_SCOPES = frozenset(ConsentScope.values)

FULL, SHARED, NONE = "full", "shared", "none"


def _sees_people(membership):
    return membership is not None and membership.role != Role.FUNDER


def _active_follow_ups(membership, person=None):
    follow_ups = FollowUpMember.objects.filter(
        user_id=membership.user_id, structure_id=membership.structure_id, is_active=True
    )
    return follow_ups.filter(person=person) if person is not None else follow_ups


def _follow_up_roles(membership, person):
    return set(_active_follow_ups(membership, person).values_list("role", flat=True))


def _structure_follows(structure_id, person):
    return (
        person.owner_structure_id == structure_id
        or FollowUpMember.objects.filter(
            person=person, structure_id=structure_id, is_active=True, role__in=CARING_ROLES
        ).exists()
    )


def _active_consent(membership, person):
    return (
        Consent.objects.filter(
            person=person, structure_id=membership.structure_id, withdrawn_at__isnull=True
        )
        .only("scopes")
        .first()
    )


def access_of(membership, person):
    """``(level, scopes)``: FULL with every scope, SHARED with the consented ones, or NONE.

    Pages compute it once per request; the predicates below call it.
    """
    if not _sees_people(membership):
        return NONE, frozenset()
    roles = _follow_up_roles(membership, person)
    if roles & set(CARING_ROLES):
        return FULL, ALL_SCOPES
    if membership.role in MANAGING_ROLES and _structure_follows(membership.structure_id, person):
        return FULL, ALL_SCOPES
    if membership.role == Role.PARTNER or FollowUpRole.PARTNER_READER in roles:
        consent = _active_consent(membership, person)
        if consent is not None and consent.scopes:
            return SHARED, frozenset(consent.scopes) & ALL_SCOPES
    return NONE, frozenset()


def can_view_person(membership, person):
    return access_of(membership, person)[0] != NONE


def can_view_whole_person(membership, person):
    return access_of(membership, person)[0] == FULL


def can_edit_person(membership, person):
    if not _sees_people(membership):
        return False
    if _active_follow_ups(membership, person).filter(role__in=CARING_ROLES).exists():
        return True
    return membership.role in EDITING_MANAGERS and _structure_follows(
        membership.structure_id, person
    )


def is_referent_of(membership, person):
    return _sees_people(membership) and (
        _active_follow_ups(membership, person).filter(role=FollowUpRole.REFERENT).exists()
    )


def can_view_special_category(membership, person):
    """RQTH, health, justice: the référent and the team only."""
    return _sees_people(membership) and (
        _active_follow_ups(membership, person).filter(role__in=CARING_ROLES).exists()
    )


def can_view_shared_scope(membership, person, scope):
    """Whether this membership sees that part of the record (partners: through consent)."""
    level, scopes = access_of(membership, person)
    return level != NONE and scope in scopes


def can_manage_follow_up_notes(membership, person):
    """Journal notes: written and read by the référent and the team."""
    return can_view_special_category(membership, person)


def visible_note_levels(membership, person):
    """The note visibilities this membership reads on this person."""
    if not _sees_people(membership):
        return set()
    roles = _follow_up_roles(membership, person)
    if FollowUpRole.REFERENT in roles:
        return {NoteVisibility.TEAM, NoteVisibility.REFERENT}
    if FollowUpRole.TEAM in roles:
        return {NoteVisibility.TEAM}
    return set()


def can_create_person(membership):
    return _sees_people(membership)


def can_list_persons(membership):
    return _sees_people(membership)


def can_manage_consent(membership, person):
    return can_edit_person(membership, person)


def can_merge_persons(membership, person):
    """The référent, the team or the administrator of the owner structure."""
    return (
        can_edit_person(membership, person) and membership.structure_id == person.owner_structure_id
    )


def visible_persons(membership):
    """The persons this membership may see (wholly or through consent), as one queryset."""
    if not _sees_people(membership):
        return Person.objects.none()
    structure_id, user_id = membership.structure_id, membership.user_id
    mine = FollowUpMember.objects.filter(
        person=OuterRef("pk"), user_id=user_id, structure_id=structure_id, is_active=True
    )
    rule = Exists(mine.filter(role__in=CARING_ROLES))
    if membership.role in MANAGING_ROLES:
        followed_by_structure = FollowUpMember.objects.filter(
            person=OuterRef("pk"), structure_id=structure_id, is_active=True, role__in=CARING_ROLES
        )
        rule |= Q(owner_structure_id=structure_id) | Exists(followed_by_structure)
    consented = Exists(
        Consent.objects.filter(
            person=OuterRef("pk"), structure_id=structure_id, withdrawn_at__isnull=True
        )
    )
    if membership.role == Role.PARTNER:
        rule |= consented
    else:
        rule |= consented & Exists(mine.filter(role=FollowUpRole.PARTNER_READER))
    return Person.objects.filter(rule)
