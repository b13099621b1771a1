"""Reads of persons that several screens share (lists, the caseload, duplicates, the API).

``visible_persons(membership)`` is the rule of ``people.perms`` (who sees a person) stated as
one query.
"""

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from tisserand.people.models import CARING_ROLES, Consent, FollowUpMember, FollowUpRole, Person
from tisserand.people.perms import oversees, sees_people
from tisserand.structures.roles import Role


def visible_persons(membership):
    """The persons this membership may see (wholly or through consent), as one queryset."""
    if not sees_people(membership):
        return Person.objects.none()
    return Person.objects.filter(visibility_rule(membership, scan=_prefers_scan(membership)))


def _prefers_scan(membership):
    """Two shapes of the same rules, for speed. An administrator or a director sees most of the
    structure's persons: SQLite lists them fastest in name order, checking each row (EXISTS);
    PostgreSQL overestimates EXISTS inside OR (and compiles the query, slowly), so it gets
    ``pk IN (…)`` subqueries, which also suit counsellors, who see a small share."""
    return oversees(membership) and connection.vendor == "sqlite"


def visibility_rule(membership, *, scan):
    """The ``Q`` of ``visible_persons``: ``scan`` chooses EXISTS checks over IN subqueries."""
    concerning = _exists_for_person if scan else _person_in
    structure_id = membership.structure_id
    mine = FollowUpMember.objects.filter(
        user_id=membership.user_id, structure_id=structure_id, is_active=True
    )
    rule = concerning(mine.filter(role__in=CARING_ROLES))
    if oversees(membership):
        caring = FollowUpMember.objects.filter(
            structure_id=structure_id, is_active=True, role__in=CARING_ROLES
        )
        rule |= Q(owner_structure_id=structure_id) | concerning(caring)
    consented = concerning(
        Consent.objects.filter(structure_id=structure_id, withdrawn_at__isnull=True)
    )
    if membership.role == Role.PARTNER:
        return rule | consented
    return rule | (consented & concerning(mine.filter(role=FollowUpRole.PARTNER_READER)))


def _exists_for_person(rows):
    return Exists(rows.filter(person=OuterRef("pk")))


def _person_in(rows):
    return Q(pk__in=rows.values("person_id"))
