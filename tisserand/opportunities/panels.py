"""Sections of the record pages: the introductions of an offer (offer page) and of a person
(person page), with their bounded queries."""

from tisserand.opportunities import perms
from tisserand.opportunities.models import ACTIVE_STATUSES, Introduction
from tisserand.opportunities.services import flood_cap


def offer_introductions_visible(context):
    return perms.follows_introductions(context.membership)


def offer_introductions(context):
    offer = context.record
    rows = list(
        Introduction.objects.filter(offer=offer, structure_id=context.membership.structure_id)
        .select_related("person", "proposed_by")
        .order_by("-created_at", "-id")[:50]
    )
    active = Introduction.objects.filter(offer=offer, status__in=ACTIVE_STATUSES).count()
    return {"introductions": rows, "active": active, "cap": flood_cap(offer)}


def person_introductions_visible(context):
    return perms.proposes(context.membership) and context.access.sees


def person_introductions(context):
    person = context.record
    rows = list(
        Introduction.objects.filter(person=person, structure_id=context.membership.structure_id)
        .select_related("offer", "establishment__legal_unit", "need__subject")
        .order_by("-created_at", "-id")[:20]
    )
    return {"introductions": rows, "can_match": perms.matchable(context.access)}
