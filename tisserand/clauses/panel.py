"""The « Clauses sociales » section of the person page: the person's participations in a clause
and the way to record one (facilitators of the structure who see the person)."""

from django.urls import reverse

from tisserand.clauses import perms
from tisserand.clauses.models import Participant


def visible(context):
    return perms.manages(context.membership) and context.access.sees


def context(context):
    person = context.record
    return {
        "participations": list(
            Participant.objects.filter(
                person=person, structure_id=context.membership.structure_id
            ).order_by("-starts_on", "id")
        ),
        "create_url": reverse("clauses:participant_from_person", args=[person.public_id]),
    }
