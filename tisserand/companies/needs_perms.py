"""Who may see and act on the relationship journal, the needs and their routing. Plain
predicates on the membership (default deny), and the loaders of the views' objects.

- The journal of a company is read by every role that sees companies (``SEE_COMPANIES``: not
  a funder) and written by the officers (``MANAGE_COMPANIES``).
- A need is seen by the members of a structure it is assigned to (a partner included), and by
  the officers of the structure that recorded it; nobody else (another structure's need: 403).
  ``visible_needs`` is the same rule as one query, for the lists.
- Officers record and route the needs they see; any member of an assigned structure who sees
  companies answers its assignment (takes it in charge, closes it).
- A funder reads counts only (the satisfaction and status figures, ``may_read_figures``).
- The catalogue of subjects is the house's: a Maison de l'Emploi's administrator edits it.
- Each structure's officers set its own routing rules.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from tisserand.companies.models import (
    Establishment,
    Interaction,
    Need,
    NeedAssignment,
    NeedSubject,
    RoutingRule,
)
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Capability, Role, has_capability


def sees_companies(membership):
    return has_capability(membership, Capability.SEE_COMPANIES)


def manages_companies(membership):
    return has_capability(membership, Capability.MANAGE_COMPANIES)


def may_read_figures(membership):
    return manages_companies(membership) or has_capability(membership, Capability.READ_INDICATORS)


def reads_figures_only(membership):
    """A reader of the figures who opens no need (a funder): the home card leads them there."""
    return may_read_figures(membership) and not sees_companies(membership)


def may_edit_catalogue(membership):
    return (
        membership is not None
        and membership.role == Role.ADMIN
        and membership.structure.kind == StructureKind.MAISON_EMPLOI
    )


# --- Loaders -----------------------------------------------------------------------------------


def company(request, public_id, **_):
    return get_object_or_404(
        Establishment.objects.select_related("legal_unit", "commune"), public_id=public_id
    )


def need_record(request, public_id, **_):
    return get_object_or_404(
        Need.objects.select_related(
            "establishment__legal_unit", "establishment__commune", "subject", "contact"
        ),
        public_id=public_id,
    )


def assignment_record(request, public_id, **_):
    return get_object_or_404(
        NeedAssignment.objects.select_related("need__establishment", "need__subject", "structure"),
        public_id=public_id,
    )


def interaction_record(request, public_id, **_):
    return get_object_or_404(
        Interaction.objects.select_related("establishment"), public_id=public_id
    )


def own_rule(request, public_id, **_):
    """A routing rule of the structure the user acts for (404 for another's)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        raise Http404
    return get_object_or_404(RoutingRule, public_id=public_id, structure=membership.structure)


def subject_record(request, pk, **_):
    return get_object_or_404(NeedSubject, pk=pk)


# --- The journal -------------------------------------------------------------------------------


def may_read_journal(membership, establishment=None):
    return sees_companies(membership)


def may_log_interaction(membership, establishment=None):
    return manages_companies(membership)


def may_close_next_action(membership, interaction):
    return manages_companies(membership)


# --- Needs -------------------------------------------------------------------------------------


def _visibility(membership):
    assigned = Q(
        pk__in=NeedAssignment.objects.filter(structure_id=membership.structure_id).values("need_id")
    )
    if manages_companies(membership):
        return assigned | Q(created_by_structure_id=membership.structure_id)
    return assigned


def visible_needs(membership, queryset=None):
    """The needs ``membership`` sees (the rule of ``may_view_need`` as one query)."""
    queryset = Need.objects.all() if queryset is None else queryset
    if not sees_companies(membership):
        return queryset.none()
    return queryset.filter(_visibility(membership))


def may_view_need(membership, need):
    if not sees_companies(membership):
        return False
    if manages_companies(membership) and need.created_by_structure_id == membership.structure_id:
        return True
    return need.assignments.filter(structure_id=membership.structure_id).exists()


def may_record_need(membership, establishment=None):
    return manages_companies(membership)


def may_route(membership, need):
    return manages_companies(membership) and may_view_need(membership, need)


def may_answer(membership, assignment):
    """A member of the assigned structure who sees companies (partner included)."""
    return sees_companies(membership) and assignment.structure_id == membership.structure_id


def may_open_inbox(membership):
    return sees_companies(membership)


def may_set_rules(membership):
    return manages_companies(membership)


def may_edit_rule(membership, rule):
    return manages_companies(membership) and rule.structure_id == membership.structure_id


def may_edit_subject(membership, subject):
    return may_edit_catalogue(membership)
