"""The reporting's URLs in the permission matrix. Structure A is a Maison de l'Emploi: its
administrator and director read the whole network (B's convention too); its funder reads only
the conventions A's structure funds; nobody else reads indicators."""

import datetime

from tests.core.matrix import Expect
from tisserand.reporting.models import Convention, FunderKind, Objective, Target
from tisserand.structures.roles import Role

READ = frozenset({Role.ADMIN, Role.DIRECTOR, Role.FUNDER})
HOUSE = frozenset({Role.ADMIN, Role.DIRECTOR})
MEMBERS = frozenset(Role)


def _convention(demo):
    return {"public_id": demo.convention.public_id}


def _objective(demo):
    return {"public_id": demo.reporting_objective.public_id}


EXPECTED = {
    "reporting:dashboard": Expect(READ),
    "reporting:dashboard_export": Expect(READ),
    "reporting:equality": Expect(READ),
    "reporting:equality_export": Expect(READ),
    "reporting:conventions": Expect(READ),
    "reporting:convention_create": Expect(HOUSE),
    "reporting:convention": Expect(READ, other=HOUSE, kwargs=_convention),
    "reporting:convention_export": Expect(READ, other=HOUSE, kwargs=_convention),
    "reporting:objective_create": Expect(READ, other=HOUSE, kwargs=_convention),
    "reporting:objective_report": Expect(READ, other=HOUSE, kwargs=_objective),
    "reporting:esf": Expect(READ),
    "reporting:esf_export": Expect(READ),
    "reporting:esf_participants": Expect(HOUSE),
    "reporting:relocation": Expect(READ),
    "reporting:relocation_export": Expect(READ),
    "reporting:naf_review": Expect(frozenset({Role.ADMIN})),
    "reporting:monthly_report": Expect(READ, kwargs=lambda demo: {"year": 2025, "month": 3}),
    "reporting:observatory": Expect(MEMBERS),
    "reporting:observatory_export": Expect(MEMBERS),
}


def build(demo):
    convention = Convention.objects.create(
        name=f"Convention {demo.structure.name}",
        funder_kind=FunderKind.METROPOLIS,
        funder_structure=demo.structure,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    convention.structures.set([demo.structure])
    objective = Objective.objects.create(
        convention=convention,
        indicator_code="accompanied",
        indicator_version=1,
        definition_fingerprint="x" * 64,
    )
    Target.objects.create(
        objective=objective,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        value=10,
    )
    return {"convention": convention, "reporting_objective": objective}
