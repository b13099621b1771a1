"""The « Orientations » section of a person's page: the person's referrals the reader's
structure sent or received, and the thematics their diagnosis proposes. Two queries."""

from django.db.models import Q

from tisserand.people import hooks as people_hooks
from tisserand.referrals import perms
from tisserand.referrals import thematics as thematic_data
from tisserand.referrals.models import Referral, Thematic


def visible(context):
    return context.access.sees_whole and perms.sees_referrals(context.membership)


def context(record_context):
    person = record_context.record
    membership = record_context.membership
    referrals = (
        Referral.objects.filter(person=person)
        .filter(
            Q(sender_structure_id=membership.structure_id)
            | Q(receiving_structure_id=membership.structure_id)
        )
        .select_related("service__structure")
        .order_by("-sent_at", "-pk")[:10]
    )
    suggested = thematic_data.suggested_for(people_hooks.current_barriers(person))
    found = {t.code: t for t in Thematic.objects.filter(code__in=suggested)} if suggested else {}
    return {
        "referrals": list(referrals),
        "suggestions": [found[code] for code in suggested if code in found],
        "can_refer": perms.may_search_for(membership, record_context),
    }
