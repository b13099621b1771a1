"""The company record's sections contributed by the relationship part: the journal (latest
interactions, next actions to come) and the needs the reader sees. Each context makes a fixed
number of queries, whatever the company's history."""

from tisserand.companies import journal, needs, needs_perms
from tisserand.companies.models import AssignmentStatus, NeedAssignment
from tisserand.companies.relations_forms import InteractionForm

SHOWN = 5


def journal_visible(context):
    return needs_perms.may_read_journal(context.membership, context.record)


def journal_context(context):
    establishment = context.record
    rows = list(journal.journal_of(establishment)[: SHOWN + 1])
    may_log = needs_perms.may_log_interaction(context.membership, establishment)
    upcoming = (
        journal.journal_of(establishment)
        .filter(next_action_on__isnull=False, next_action_done_at__isnull=True)
        .order_by("next_action_on", "pk")[:SHOWN]
    )
    return {
        "interactions": rows[:SHOWN],
        "more_interactions": len(rows) > SHOWN,
        "upcoming": list(upcoming),
        "may_log": may_log,
        "interaction_form": InteractionForm(establishment=establishment) if may_log else None,
    }


def needs_visible(context):
    return needs_perms.sees_companies(context.membership)


def needs_context(context):
    establishment = context.record
    rows = list(
        needs.with_status(
            needs_perms.visible_needs(context.membership).filter(establishment=establishment)
        )
        .select_related("subject")
        .order_by("-created_at", "-pk")[:20]
    )
    for need in rows:
        need.status_label = needs.status_label(need.computed_status)
    return {
        "needs": rows,
        "may_record": needs_perms.may_record_need(context.membership, establishment),
        "open_count": sum(1 for n in rows if n.computed_status in needs.OPEN_NEED_STATUSES),
    }


def waiting_figure(membership):
    """The home card's figure: the structure's assignments waiting to be taken in charge."""
    count = NeedAssignment.objects.filter(
        structure_id=membership.structure_id, status=AssignmentStatus.WAITING
    ).count()
    return count, "en attente de prise en charge"
