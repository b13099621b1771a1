"""The social clauses' URLs in the permission matrix: the facilitators (clause facilitator,
administrator) manage, the director reads figures (no identities), a funder nothing; the
portal's and the buyer representative's pages answer 404 to every member (their loader serves
only a leader of the lot's holder, or the buyer's representative)."""

import datetime
from decimal import Decimal

from tests.clauses.factories import (
    ContractFactory,
    DeclarationFactory,
    LotFactory,
    OperationFactory,
    ParticipantFactory,
    make_eligible,
)
from tests.companies.factories import EstablishmentFactory
from tests.core.matrix import NOBODY, Expect, post_only
from tisserand.structures.roles import Role

MANAGE = frozenset({Role.ADMIN, Role.CLAUSE_FACILITATOR})
READ = MANAGE | {Role.DIRECTOR}
# Creating a participant from a person's record: a manager who sees the person (A's person is
# followed by A's référent, overseen by the administrator and the director).
MANAGE_AND_SEE_PERSON = frozenset({Role.ADMIN})


def _of(name, **more):
    return lambda demo: {"public_id": getattr(demo, name).public_id, **more}


OPERATION = _of("clause_operation")
BUYER = _of("clause_buyer")
CONTRACT = _of("clause_contract")
LOT = _of("clause_lot")
PARTICIPANT = _of("clause_participant")
DECLARATION = _of("clause_declaration")

EXPECTED = {
    "clauses:home": Expect(READ),
    "clauses:operation_create": Expect(MANAGE),
    "clauses:operation": Expect(READ, kwargs=OPERATION),
    "clauses:coefficient_set": post_only(MANAGE, kwargs=OPERATION),
    "clauses:contract_create": Expect(MANAGE, kwargs=OPERATION),
    "clauses:decp_import": Expect(MANAGE, kwargs=OPERATION),
    "clauses:operation_report_page": Expect(READ, kwargs=OPERATION),
    "clauses:operation_report": Expect(READ, kwargs=_of("clause_operation", fmt="xlsx")),
    "clauses:buyer_create": Expect(MANAGE),
    "clauses:buyer": Expect(READ, kwargs=BUYER),
    "clauses:buyer_report": Expect(READ, kwargs=_of("clause_buyer", fmt="pdf")),
    "clauses:buyer_portal": Expect(NOBODY, kwargs=BUYER),
    "clauses:representative_add": post_only(MANAGE, kwargs=BUYER),
    "clauses:contract": Expect(READ, kwargs=CONTRACT),
    "clauses:lot_create": Expect(MANAGE, kwargs=CONTRACT),
    "clauses:lot_hours_preview": post_only(MANAGE, kwargs=CONTRACT),
    "clauses:lot": Expect(READ, kwargs=LOT),
    "clauses:declare": post_only(MANAGE, kwargs=LOT),
    "clauses:lot_validate_all": post_only(MANAGE, kwargs=LOT),
    "clauses:lot_need": post_only(MANAGE, kwargs=LOT),
    "clauses:certificate": Expect(READ, kwargs=LOT),
    "clauses:lot_import": Expect(MANAGE, kwargs=LOT),
    "clauses:import_template": Expect(MANAGE, kwargs=LOT),
    "clauses:declaration_validate": post_only(MANAGE, kwargs=DECLARATION),
    "clauses:declaration_reopen": post_only(MANAGE, kwargs=DECLARATION),
    "clauses:national_export": Expect(MANAGE),
    "clauses:aggregates": Expect(READ | {Role.FUNDER}),
    "clauses:participants": Expect(MANAGE),
    "clauses:criteria": Expect(MANAGE),
    "clauses:criterion_toggle": post_only(
        MANAGE, kwargs=lambda demo: {"pk": demo.clause_criterion.criterion_id}
    ),
    "clauses:participant_create": Expect(MANAGE),
    "clauses:participant_from_person": Expect(
        MANAGE_AND_SEE_PERSON, kwargs=lambda demo: {"person_id": demo.person.public_id}
    ),
    "clauses:participant": Expect(MANAGE, kwargs=PARTICIPANT),
    "clauses:criterion_add": post_only(MANAGE, kwargs=PARTICIPANT),
    "clauses:criterion_remove": post_only(
        MANAGE, kwargs=lambda demo: {"pk": demo.clause_criterion.pk}
    ),
    "clauses:outcome": post_only(MANAGE, kwargs=PARTICIPANT),
    "clauses:buyer_edit": Expect(MANAGE, kwargs=BUYER),
    "clauses:operation_edit": Expect(MANAGE, kwargs=OPERATION),
    "clauses:contract_edit": Expect(MANAGE, kwargs=CONTRACT),
    "clauses:lot_edit": Expect(MANAGE, kwargs=LOT),
    "clauses:lot_propose": Expect(MANAGE, kwargs=LOT),
    "clauses:participant_edit": Expect(MANAGE, kwargs=PARTICIPANT),
    "clauses:portal_lots": Expect(NOBODY, kwargs=_of("clause_holder")),
    "clauses:portal_lot": Expect(
        NOBODY,
        kwargs=lambda demo: {
            "public_id": demo.clause_holder.public_id,
            "lot_id": demo.clause_lot.public_id,
        },
    ),
}


def build(demo):
    operation = OperationFactory(structure=demo.structure)
    contract = ContractFactory(
        operation=operation,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    holder = EstablishmentFactory()
    lot = LotFactory(contract=contract, holder=holder, number=1)
    participant = make_eligible(
        ParticipantFactory(structure=demo.structure, employer=holder, person=demo.person)
    )
    declaration = DeclarationFactory(
        participant=participant, lot=lot, month=datetime.date(2025, 3, 1), hours=Decimal(100)
    )
    return {
        "clause_operation": operation,
        "clause_buyer": contract.buyer,
        "clause_contract": contract,
        "clause_holder": holder,
        "clause_lot": lot,
        "clause_participant": participant,
        "clause_criterion": participant.criteria.get(),
        "clause_declaration": declaration,
    }
