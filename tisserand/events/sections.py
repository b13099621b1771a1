"""The sections of the event page (``RecordKind("event")``). A person's registrations and
attendance show on the person page through its timeline (``about=person``): no section there,
so the person page's query budget does not grow. Each context makes a bounded number of
queries."""

from django.core.paginator import Paginator
from django.db.models import Avg, Count

from tisserand.core.timeline import events_for
from tisserand.events import perms, selectors
from tisserand.events.models import (
    Registration,
    SatisfactionAnswer,
    Status,
)

# The event page lists this many participants a page (an event may have hundreds).
PARTICIPANTS_PER_PAGE = 50


def _registrations(context):
    """The page of the registrations this reader may see by name (``?page=``): a count and one
    page of rows, whatever the number of participants."""

    def compute():
        event = context.record
        rows = Registration.objects.filter(session__event=event).select_related(
            "person", "contact__establishment", "session"
        )
        visible = perms.visible_registrations(context.membership, event, rows)
        ordered = visible.order_by("session__starts_at", "status", "waiting_since", "id")
        number = context.request.GET.get("page") if context.request is not None else None
        return Paginator(ordered, PARTICIPANTS_PER_PAGE).get_page(number)

    return context.memo("registrations", compute)


def sessions_context(context):
    event = context.record
    counts = selectors.counts_by_status(event)
    sessions = list(event.sessions.all())
    rows = []
    for session in sessions:
        by_status = counts.get(session.pk, {})
        rows.append(
            {
                "session": session,
                "seats": session.seats_taken,
                "waiting": by_status.get(Status.WAITING, 0),
                "invited": by_status.get(Status.INVITED, 0),
                "present": by_status.get(Status.PRESENT, 0),
            }
        )
    return {
        "rows": rows,
        "can_organise": perms.is_organiser(context.membership, event),
    }


def participants_visible(context):
    return perms.sees_events(context.membership)


def participants_context(context):
    event = context.record
    organiser = perms.is_organiser(context.membership, event)
    return {
        "page_obj": _registrations(context),
        "organiser_member": perms.is_organiser_member(context.membership, event),
        # The organiser; elsewhere, the registering structure's members see only their own
        # persons' registrations, which they may cancel (the view's rule decides anyway).
        "can_cancel": organiser or not perms.is_organiser_member(context.membership, event),
        "cancellable": (Status.REGISTERED, Status.WAITING, Status.INVITED),
    }


def organiser_only(context):
    return perms.is_organiser_member(context.membership, context.record)


def satisfaction_context(context):
    answers = SatisfactionAnswer.objects.filter(registration__session__event=context.record)
    summary = answers.aggregate(n=Count("id"), average=Avg("rating"))
    useful = answers.filter(useful=True).count()
    return {"summary": summary, "useful": useful}


def timeline_context(context):
    return {"events": events_for(context.record).order_by("-occurred_at")[:30]}
