"""Needs: recording, routing to structures, the assignments' answers, and the need's status.

**The need's status is computed from its assignments**, never stored. The order, first match
wins (``NEED_STATUS_PRIORITY``):

1. « clôturé avec aide » (``done``) — one structure helped: the need is met;
2. « pris en charge » (``taken``) — someone is working on it;
3. « en attente » (``waiting``) — someone may still take it;
4. « clôturé sans aide » (``done_no_help``) — a structure answered but could not help;
5. « injoignable » (``not_reachable``) — a structure could not reach the company;
6. « abandonné » (``abandoned``) — 45 days without an answer (set by the background task);
7. « refusé » (``not_for_me``) — every structure said it was not for it.

A need without any assignment is « à orienter » (``to_route``). ``need_status`` is the rule in
Python (a pure function of the assignments' statuses); ``with_status`` is the same rule as an
SQL annotation (``computed_status``, a correlated subquery: for a page of rows or a count by
status); ``filter_status`` is the rule as uncorrelated ``IN`` subqueries, for the filters of
long lists. The tests check the three against each other on every combination.
"""

from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    CharField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from tisserand.companies import portal, services
from tisserand.companies.models import (
    AssignmentStatus,
    Need,
    NeedAssignment,
    NeedStatus,
)
from tisserand.companies.services import CompanyError
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.structures.models import Membership, StructureKind
from tisserand.structures.roles import Capability, roles_with


class NeedError(CompanyError):
    """A broken rule about a need or its routing, with its French message."""


NEED_STATUS_PRIORITY = (
    NeedStatus.DONE,
    NeedStatus.TAKEN,
    NeedStatus.WAITING,
    NeedStatus.DONE_NO_HELP,
    NeedStatus.NOT_REACHABLE,
    NeedStatus.ABANDONED,
    NeedStatus.NOT_FOR_ME,
)
# Assignment status → the need status it yields (the same codes).
_RANK = {status.value: rank for rank, status in enumerate(NEED_STATUS_PRIORITY)}
# A closed need: the leader is asked whether it helped.
CLOSED_NEED_STATUSES = frozenset(
    {NeedStatus.DONE, NeedStatus.DONE_NO_HELP, NeedStatus.NOT_REACHABLE}
)
OPEN_NEED_STATUSES = frozenset({NeedStatus.TO_ROUTE, NeedStatus.TAKEN, NeedStatus.WAITING})


def need_status(statuses):
    """The need's status from its assignments' statuses (an iterable of codes)."""
    ranks = [_RANK[str(status)] for status in statuses]
    if not ranks:
        return NeedStatus.TO_ROUTE
    return NEED_STATUS_PRIORITY[min(ranks)]


def status_of(need):
    """The status of one need (its assignments read once, or from a prefetch)."""
    return need_status(assignment.status for assignment in need.assignments.all())


def with_status(queryset):
    """``queryset`` of needs annotated with ``computed_status`` (the same rule, in SQL)."""
    rank = Case(
        *(When(status=status.value, then=Value(r)) for status, r in _by_status()),
        output_field=IntegerField(),
    )
    best = Subquery(
        NeedAssignment.objects.filter(need=OuterRef("pk"))
        .order_by()
        .values("need")
        .annotate(best=Min(rank))
        .values("best")[:1],
        output_field=IntegerField(),
    )
    return queryset.annotate(status_rank=best).annotate(
        computed_status=Case(
            *(When(status_rank=r, then=Value(s.value)) for r, s in enumerate(NEED_STATUS_PRIORITY)),
            default=Value(NeedStatus.TO_ROUTE.value),
            output_field=CharField(),
        )
    )


def _needs_with(statuses):
    """The ids of the needs with an assignment at one of ``statuses`` (not correlated: the
    database computes it once, from the index on the status)."""
    return NeedAssignment.objects.filter(status__in=[str(s) for s in statuses]).values("need_id")


def status_condition(status):
    """A ``Q`` on needs: their computed status is ``status`` — the same rule again, as
    uncorrelated ``IN`` subqueries (an assignment at that status, none at a status before it
    in the order), so that a list filtered by status stays fast on 50,000 needs."""
    status = NeedStatus(status)
    if status == NeedStatus.TO_ROUTE:
        return ~Q(pk__in=NeedAssignment.objects.values("need_id"))
    rank = _RANK[status.value]
    condition = Q(pk__in=_needs_with([status]))
    before = NEED_STATUS_PRIORITY[:rank]
    if before:
        condition &= ~Q(pk__in=_needs_with(before))
    return condition


def filter_status(queryset, *statuses):
    """``queryset`` of needs restricted to those whose computed status is one of ``statuses``."""
    condition = Q(pk__in=[])
    for status in statuses:
        condition |= status_condition(status)
    return queryset.filter(condition)


def _by_status():
    return [(status, _RANK[status.value]) for status in NEED_STATUS_PRIORITY]


def status_label(code):
    return NeedStatus(code).label


def company_needs(establishment):
    """Every need of ``establishment`` with its ``computed_status``, newest first: what the
    leader portal shows to the company's leader (``portal.leader_establishment`` loads it)."""
    return (
        with_status(Need.objects.filter(establishment=establishment))
        .select_related("subject")
        .order_by("-created_at", "-pk")
    )


# --- Recording ---------------------------------------------------------------------------------

# Recording a need is ``services.record_need`` (officers); the portal's way in is below.
record_need = services.record_need


def record_need_from_leader(establishment, *, data, actor):
    """The portal's way in: a need described by a leader of ``establishment`` (``actor``: the
    leader's user, no membership). Refused for anyone who does not lead the company."""
    if not portal.leads(actor.user, establishment):
        raise CompanyError("Vous ne dirigez pas cette entreprise.")
    return services.record_need(establishment, data=data, actor=actor, from_leader=True)


# --- Routing -----------------------------------------------------------------------------------

ANSWERING_ROLES = roles_with(Capability.SEE_COMPANIES)


def may_receive(structure):
    """A structure a need may be routed to: active, of the network, not a funder."""
    return structure.is_active and structure.kind != StructureKind.FUNDER


@transaction.atomic
def route(need, *, data, actor):
    """Routes ``need`` to each structure of ``data["structures"]`` and, with
    ``data["officer"]`` (a user), to that member of the actor's structure; ``data["comment"]``
    goes with each assignment. Refuses a structure already assigned, a funder, an inactive one,
    an officer who is not a member, and an empty routing."""
    structures = list(dict.fromkeys(data.get("structures") or []))
    officer = data.get("officer")
    comment = data.get("comment", "")
    if officer is not None:
        if (
            actor.structure is None
            or not Membership.objects.filter(
                user=officer, structure=actor.structure, role__in=ANSWERING_ROLES, is_active=True
            ).exists()
        ):
            raise NeedError("Cette personne n'est pas membre de votre structure.")
        if actor.structure not in structures:
            structures.append(actor.structure)
    if not structures:
        raise NeedError("Choisissez au moins une structure ou une personne à qui orienter.")
    already = set(
        NeedAssignment.objects.filter(need=need, structure__in=structures).values_list(
            "structure__name", flat=True
        )
    )
    if already:
        raise NeedError(f"Ce besoin est déjà orienté vers : {', '.join(sorted(already))}.")
    now = timezone.now()
    created = []
    for structure in structures:
        if not may_receive(structure):
            raise NeedError(f"On ne peut pas orienter un besoin vers « {structure} ».")
        try:
            with transaction.atomic():
                assignment = NeedAssignment.objects.create(
                    need=need,
                    structure=structure,
                    user=officer if structure == actor.structure else None,
                    assigned_by=actor.user,
                    assigned_at=now,
                    comment=comment,
                )
        except IntegrityError as error:
            # The same routing sent twice at once: the unique constraint holds.
            raise NeedError(f"Ce besoin est déjà orienté vers : {structure}.") from error
        created.append(assignment)
        whom = f" ({officer.get_full_name() or officer.email})" if assignment.user else ""
        timeline.record(
            need,
            "need_routed",
            f"Besoin « {need.subject} » orienté vers {structure}{whom}",
            actor=actor.user,
            structure=actor.structure,
            about=need.establishment,
        )
    return created


# --- Answers ------------------------------------------------------------------------------------

# What a member of the assigned structure may set, from each status.
ALLOWED_CHANGES = {
    AssignmentStatus.WAITING: {
        AssignmentStatus.TAKEN,
        AssignmentStatus.DONE,
        AssignmentStatus.DONE_NO_HELP,
        AssignmentStatus.NOT_REACHABLE,
        AssignmentStatus.NOT_FOR_ME,
    },
    AssignmentStatus.TAKEN: {
        AssignmentStatus.DONE,
        AssignmentStatus.DONE_NO_HELP,
        AssignmentStatus.NOT_REACHABLE,
        AssignmentStatus.NOT_FOR_ME,
    },
    # A closed assignment may be taken in charge again (the company called back).
    AssignmentStatus.DONE: {AssignmentStatus.TAKEN},
    AssignmentStatus.DONE_NO_HELP: {AssignmentStatus.TAKEN},
    AssignmentStatus.NOT_REACHABLE: {AssignmentStatus.TAKEN},
    AssignmentStatus.NOT_FOR_ME: {AssignmentStatus.TAKEN},
    AssignmentStatus.ABANDONED: {AssignmentStatus.TAKEN},
}


@transaction.atomic
def set_status(assignment, *, data, actor):
    """Sets the status of ``assignment`` (``data``: status, comment) for a member of its
    structure; records it on the need's and the company's timeline."""
    assignment = NeedAssignment.objects.select_for_update().get(pk=assignment.pk)
    if actor.structure is None or actor.structure.pk != assignment.structure_id:
        raise NeedError("Seule la structure à qui le besoin est orienté peut y répondre.")
    try:
        new = AssignmentStatus(data.get("status"))
    except ValueError as error:
        raise NeedError("Ce statut n'existe pas.") from error
    current = AssignmentStatus(assignment.status)
    if new not in ALLOWED_CHANGES[current]:
        raise NeedError(f"Impossible de passer de « {current.label} » à « {new.label} ».")
    need = assignment.need
    now = timezone.now()
    assignment.status = new
    if new == AssignmentStatus.TAKEN:
        assignment.taken_at = assignment.taken_at or now
        assignment.closed_at = None
        assignment.user = assignment.user or actor.user
    else:
        assignment.closed_at = now
        assignment.user = assignment.user or actor.user
    comment = (data.get("comment") or "").strip()
    if comment:
        assignment.comment = comment
    assignment.save()
    timeline.record(
        need,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"{assignment.structure} : « {new.label} » pour le besoin « {need.subject} »",
        actor=actor.user,
        structure=actor.structure,
        about=need.establishment,
    )
    # Once closed, the daily check asks the leader whether it helped (``satisfaction``).
    return assignment
