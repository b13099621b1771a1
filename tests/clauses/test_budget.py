"""The pages' query counts do not grow with the number of contracts, lots, participants and
declarations (the sums are grouped SQL, the lots read once)."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.clauses.factories import (
    ContractFactory,
    DeclarationFactory,
    LotFactory,
    ParticipantFactory,
    make_eligible,
)


def _grow(operation, structure, contracts, per_lot):
    for _ in range(contracts):
        contract = ContractFactory(
            operation=operation,
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
        )
        for number in (1, 2):
            lot = LotFactory(contract=contract, number=number)
            for month in range(1, per_lot + 1):
                participant = make_eligible(ParticipantFactory(structure=structure))
                DeclarationFactory(
                    participant=participant,
                    lot=lot,
                    month=datetime.date(2025, month, 1),
                    hours=Decimal(50),
                )


def _count(client, url):
    client.get(url)  # warms the caches (content types…) that are not the page's own reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_pages_do_not_grow_with_data(client_for, facilitator, operation, structure):
    client = client_for(facilitator)
    _grow(operation, structure, 1, 1)
    contract = operation.contracts.first()
    lot = contract.lots.first()
    urls = [
        reverse("clauses:home"),
        reverse("clauses:operation", args=[operation.public_id]),
        reverse("clauses:contract", args=[contract.public_id]),
        reverse("clauses:buyer", args=[contract.buyer.public_id]),
        reverse("clauses:lot", args=[lot.public_id]),
        reverse("clauses:operation_report_page", args=[operation.public_id]) + "?annee=2025",
    ]
    before = [_count(client, url) for url in urls]
    _grow(operation, structure, 4, 3)
    for number in (3, 4):
        LotFactory(contract=contract, number=number)
    for month in (5, 6):
        DeclarationFactory(
            participant=make_eligible(ParticipantFactory(structure=structure)),
            lot=lot,
            month=datetime.date(2025, month, 1),
        )
    after = [_count(client, url) for url in urls]
    assert after == before, list(zip(urls, before, after, strict=True))
