"""The perimeters a reader may choose on the dashboards (``perms`` says who reads what):

- the house's director and administrator: the network, each structure, each convention;
- another structure's director or administrator: their structure, and each convention it
  carries, restricted to their structure;
- a funder: each convention its structure funds (its structures and programmes).

A perimeter's key travels in the URL (``?perimetre=structure:<uuid>``); a key the reader may
not use is refused (404), never silently widened.
"""

from dataclasses import dataclass

from django.http import Http404

from tisserand.reporting import perms
from tisserand.reporting.indicators import Scope, Territory
from tisserand.reporting.models import Convention
from tisserand.structures.models import Structure, StructureKind


@dataclass(frozen=True)
class Perimeter:
    key: str
    label: str
    scope: Scope
    convention: Convention | None = None


def convention_scope(convention, *, within=None):
    structures = tuple(sorted(convention.structures.values_list("pk", flat=True)))
    if within is not None:
        structures = tuple(pk for pk in structures if pk == within)
    programmes = tuple(sorted(convention.programmes.values_list("pk", flat=True))) or None
    return Scope(structure_ids=structures, programme_ids=programmes)


def conventions_for(membership):
    """The conventions whose figures the member reads."""
    rows = Convention.objects.select_related("funder_structure").prefetch_related(
        "structures", "programmes"
    )
    if perms.sees_network(membership):
        return rows
    if perms.is_funder(membership):
        return rows.filter(funder_structure_id=membership.structure_id)
    if perms.reads_structure_figures(membership):
        return rows.filter(structures=membership.structure_id)
    return rows.none()


def perimeters(membership):
    found = []
    if perms.sees_network(membership):
        found.append(Perimeter("reseau", "Tout le réseau", Scope()))
        structures = Structure.objects.filter(is_active=True).exclude(kind=StructureKind.FUNDER)
        for structure in structures.order_by("name"):
            found.append(
                Perimeter(
                    f"structure:{structure.public_id}",
                    structure.name,
                    Scope(structure_ids=(structure.pk,)),
                )
            )
    elif perms.reads_structure_figures(membership):
        structure = membership.structure
        found.append(
            Perimeter(
                f"structure:{structure.public_id}",
                structure.name,
                Scope(structure_ids=(structure.pk,)),
            )
        )
    within = None
    if perms.reads_structure_figures(membership) and not perms.sees_network(membership):
        within = membership.structure_id
    for convention in conventions_for(membership):
        found.append(
            Perimeter(
                f"convention:{convention.public_id}",
                f"Convention « {convention.name} »",
                convention_scope(convention, within=within),
                convention,
            )
        )
    return found


def chosen(membership, key):
    """The perimeter of ``key`` (the first one when empty); 404 for a key not offered."""
    offered = perimeters(membership)
    if not offered:
        return None
    if not key:
        return offered[0]
    for perimeter in offered:
        if perimeter.key == key:
            return perimeter
    raise Http404("Périmètre inconnu.")


def with_territory(scope, kind, code):
    if not kind or not code:
        return scope
    try:
        territory = Territory(kind, code.strip())
    except ValueError as error:
        raise Http404(str(error)) from error
    return Scope(scope.structure_ids, scope.programme_ids, territory)


def with_programme(scope, programme):
    """The scope narrowed to one programme (within the perimeter's programmes: a convention
    that does not cover it then counts nothing)."""
    if programme is None:
        return scope
    if scope.programme_ids is None:
        programmes = (programme.pk,)
    else:
        programmes = tuple(pk for pk in scope.programme_ids if pk == programme.pk)
    return Scope(scope.structure_ids, programmes, scope.territory)
