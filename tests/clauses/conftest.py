import datetime

import pytest

from tests.clauses.factories import (
    ContractFactory,
    LotFactory,
    OperationFactory,
    ParticipantFactory,
    make_eligible,
)
from tests.companies.factories import EstablishmentFactory
from tisserand.core.actor import Actor
from tisserand.structures.roles import Role


@pytest.fixture
def facilitator(make_member, structure):
    return make_member(Role.CLAUSE_FACILITATOR, structure)


@pytest.fixture
def actor(facilitator):
    return Actor.of(facilitator)


@pytest.fixture
def operation(structure):
    return OperationFactory(structure=structure)


@pytest.fixture
def holder():
    return EstablishmentFactory(name="Bâtiments du Nord")


@pytest.fixture
def lot(operation, holder):
    contract = ContractFactory(
        operation=operation,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    return LotFactory(contract=contract, holder=holder, number=1)


@pytest.fixture
def participant(structure, holder):
    return make_eligible(ParticipantFactory(structure=structure, employer=holder))


@pytest.fixture
def ineligible(structure, holder):
    return ParticipantFactory(structure=structure, employer=holder, first_name="Sonia")
