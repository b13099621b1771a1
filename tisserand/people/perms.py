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

from contextlib import contextmanager
from dataclasses import dataclass

from tisserand.people.models import (
    CARING_ROLES,
    Consent,
    ConsentScope,
    FollowUpMember,
    FollowUpRole,
    NoteVisibility,
)
from tisserand.structures.roles import Role

MANAGING_ROLES = frozenset({Role.ADMIN, Role.DIRECTOR})
EDITING_MANAGERS = frozenset({Role.ADMIN})
ALL_SCOPES = frozenset(ConsentScope.values)

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


def _sees_people(membership):
    return membership is not None and membership.role != Role.FUNDER


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
    return frozenset(consent.scopes) & ALL_SCOPES if consent is not None else frozenset()


_CACHE = "_people_access_cache"


@contextmanager
def remembered_access(person):
    """Within the block, ``access_for(…, person)`` is computed once per membership: a page
    and the panels of other apps asking the same question cost one set of queries."""
    setattr(person, _CACHE, {})
    try:
        yield
    finally:
        delattr(person, _CACHE)


def access_for(membership, person):
    """The ``PersonAccess`` of ``membership`` to ``person``. Pages compute it once."""
    if not _sees_people(membership) or person is None or person.pk is None:
        return NO_ACCESS
    cache = getattr(person, _CACHE, None)
    if cache is None:
        return _compute_access(membership, person)
    key = (membership.pk, membership.user_id, membership.structure_id, membership.role)
    if key not in cache:
        cache[key] = _compute_access(membership, person)
    return cache[key]


def _compute_access(membership, person):
    roles = frozenset(
        FollowUpMember.objects.filter(
            person=person,
            user_id=membership.user_id,
            structure_id=membership.structure_id,
            is_active=True,
        ).values_list("role", flat=True)
    )
    if roles & CARING:
        return PersonAccess(FULL, ALL_SCOPES, roles, True)
    if membership.role in MANAGING_ROLES and _structure_follows(membership.structure_id, person):
        return PersonAccess(FULL, ALL_SCOPES, roles, membership.role in EDITING_MANAGERS)
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
    return _sees_people(membership)


def can_list_persons(membership):
    return _sees_people(membership)


def can_manage_consent(membership, person):
    return can_edit_person(membership, person)


def can_write_notes(membership, person):
    return access_for(membership, person).cares


def can_merge_persons(membership, person):
    """The référent, the team or the administrator of the owner structure."""
    return (
        can_edit_person(membership, person) and membership.structure_id == person.owner_structure_id
    )
