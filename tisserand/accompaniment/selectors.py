"""Reads of accompaniments that several screens share: the caseload's scope (page and XLSX
export), a person's open accompaniments (person page, guidance), an accompaniment's team."""

from django.db.models import Exists, OuterRef

from tisserand.accompaniment.models import Accompaniment, BarrierAssessment
from tisserand.people.models import FollowUpMember
from tisserand.people.selectors import visible_persons


def caseload_scope(membership, *, whole_structure):
    """The accompaniments of the member's caseload: their structure's (``whole_structure``) or
    those they are the référent of, restricted to the persons they may see."""
    rows = Accompaniment.objects.filter(structure_id=membership.structure_id)
    if not whole_structure:
        rows = rows.filter(referent_id=membership.user_id)
    visible = visible_persons(membership).filter(pk=OuterRef("person_id"))
    return rows.filter(Exists(visible))


def open_accompaniments(person):
    """The person's open accompaniments (contract with the other apps)."""
    return (
        Accompaniment.objects.open()
        .filter(person=person)
        .select_related("programme", "structure", "referent")
    )


def team_of(accompaniment):
    """Active follow-up members of the person other than the accompaniment's référent."""
    return (
        FollowUpMember.objects.filter(person_id=accompaniment.person_id, is_active=True)
        .exclude(user_id=accompaniment.referent_id, structure_id=accompaniment.structure_id)
        .select_related("user", "structure")
        .order_by("role", "since", "id")
    )


def current_barriers(person):
    """(theme, level) of the latest assessment of each theme in the person's open
    accompaniments (the people hook ``current_barriers``): one query."""
    rows = BarrierAssessment.objects.filter(
        accompaniment__person=person, accompaniment__in=Accompaniment.objects.open()
    ).order_by("theme", "-assessed_on", "-recorded_at", "-id")
    latest = {}
    for theme, level in rows.values_list("theme", "level"):
        latest.setdefault(theme, level)
    return list(latest.items())
