"""Who reads which figures, and who sets objectives.

- A director (or administrator) reads the figures of their structure; **the house's** (the
  structure of kind Maison de l'Emploi) reads the whole network's.
- A funder reads the aggregates of the conventions its structure funds, never a person: no
  page, no export of persons, no count under 5 (``masks_small_counts``).
- Conventions are recorded by the house's administrator and director; objectives are set by
  them (every convention) and by a funder for its own conventions
  (``Capability.SET_OBJECTIVES``).
- The per-participant ESF+ export is for the roles that see the personal data of their
  structure, and covers their structure's participants only.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tisserand.reporting.models import Convention, Objective
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Capability, Role, has_capability


def reads_indicators(membership):
    return has_capability(membership, Capability.READ_INDICATORS)


def is_funder(membership):
    return membership is not None and membership.role == Role.FUNDER


def of_the_house(membership):
    return membership is not None and membership.structure.kind == StructureKind.MAISON_EMPLOI


def sees_network(membership):
    """The house's director and administrator read the whole network."""
    return reads_indicators(membership) and of_the_house(membership) and not is_funder(membership)


def reads_structure_figures(membership):
    """Directors and administrators: the dashboards of their structure (the network for the
    house's)."""
    return reads_indicators(membership) and not is_funder(membership)


def masks_small_counts(membership):
    """Every figure of persons under 5 is masked for a funder (tables are masked for all)."""
    return is_funder(membership)


def exports_participants(membership):
    """The per-participant ESF+ export: roles that see their structure's personal data."""
    return reads_structure_figures(membership) and has_capability(
        membership, Capability.SEE_PERSONAL_DATA
    )


def sets_objectives(membership):
    if not has_capability(membership, Capability.SET_OBJECTIVES):
        return False
    return of_the_house(membership) or is_funder(membership)


def creates_conventions(membership):
    """The house's administrator and director record the conventions (which structures and
    programmes a funder's figures cover): a funder never chooses whose aggregates it reads."""
    return sets_objectives(membership) and of_the_house(membership) and not is_funder(membership)


def reviews_naf_classification(membership):
    return membership is not None and membership.role == Role.ADMIN and of_the_house(membership)


def reads_relocation(membership):
    return reads_indicators(membership)


def reads_observatory(membership):
    """The labour-market figures of the territory: every member of a structure."""
    return membership is not None


def convention_record(request, public_id):
    return get_object_or_404(
        Convention.objects.select_related("funder_structure"), public_id=public_id
    )


def objective_record(request, public_id):
    return get_object_or_404(
        Objective.objects.select_related("convention__funder_structure"), public_id=public_id
    )


def may_view_convention(membership, convention):
    if not reads_indicators(membership):
        return False
    if sees_network(membership):
        return True
    if is_funder(membership):
        return convention.funder_structure_id == membership.structure_id
    if convention.structures.filter(pk=membership.structure_id).exists():
        return True
    raise Http404


def may_edit_convention(membership, convention):
    if not sets_objectives(membership):
        return False
    if of_the_house(membership) and not is_funder(membership):
        return True
    if convention.funder_structure_id == membership.structure_id:
        return True
    if may_view_convention(membership, convention):
        return False
    raise Http404


def may_report_objective(membership, objective):
    return may_edit_convention(membership, objective.convention)
