"""The need's status from its assignments: the pure rule, the SQL annotation, and the two
against each other on every combination of up to three assignments."""

import itertools

import pytest
from django.utils import timezone

from tests.companies.factories import EstablishmentFactory, NeedFactory, NeedSubjectFactory
from tests.factories import StructureFactory
from tisserand.companies.models import AssignmentStatus, Need, NeedAssignment, NeedStatus
from tisserand.companies.needs import NEED_STATUS_PRIORITY, need_status, with_status

S = AssignmentStatus
pytestmark = pytest.mark.django_db


def test_no_assignment_is_to_route():
    assert need_status([]) == NeedStatus.TO_ROUTE


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([S.DONE, S.WAITING, S.NOT_FOR_ME], NeedStatus.DONE),
        ([S.TAKEN, S.WAITING], NeedStatus.TAKEN),
        ([S.WAITING, S.DONE_NO_HELP], NeedStatus.WAITING),
        ([S.DONE_NO_HELP, S.NOT_REACHABLE], NeedStatus.DONE_NO_HELP),
        ([S.NOT_REACHABLE, S.ABANDONED, S.NOT_FOR_ME], NeedStatus.NOT_REACHABLE),
        ([S.ABANDONED, S.NOT_FOR_ME], NeedStatus.ABANDONED),
        ([S.NOT_FOR_ME, S.NOT_FOR_ME], NeedStatus.NOT_FOR_ME),
        # Someone still working on it wins over a closure without help.
        ([S.DONE_NO_HELP, S.TAKEN], NeedStatus.TAKEN),
    ],
)
def test_the_priority_order(statuses, expected):
    assert need_status(statuses) == expected
    assert need_status(reversed(statuses)) == expected


def test_every_assignment_status_has_its_place():
    assert {s.value for s in NEED_STATUS_PRIORITY} == set(S.values)


def test_the_sql_annotation_agrees_with_the_rule_on_every_combination():
    establishment = EstablishmentFactory()
    subject = NeedSubjectFactory()
    structures = [StructureFactory() for _ in range(3)]
    now = timezone.now()
    expected = {}
    for size in range(4):
        for combination in itertools.combinations_with_replacement(list(S), size):
            need = NeedFactory(establishment=establishment, subject=subject)
            NeedAssignment.objects.bulk_create(
                NeedAssignment(
                    need=need,
                    structure=structures[i],
                    status=status,
                    assigned_at=now,
                    taken_at=now if status == S.TAKEN else None,
                    closed_at=None if status in (S.WAITING, S.TAKEN) else now,
                )
                for i, status in enumerate(combination)
            )
            expected[need.pk] = need_status(combination)
    got = dict(with_status(Need.objects.all()).values_list("pk", "computed_status"))
    assert got == {pk: status.value for pk, status in expected.items()}
    assert len(got) == 1 + 7 + 28 + 84
    # And filtering on it in SQL gives the same needs.
    for status in NeedStatus:
        filtered = set(
            with_status(Need.objects.all())
            .filter(computed_status=status)
            .values_list("pk", flat=True)
        )
        assert filtered == {pk for pk, value in expected.items() if value == status}


def test_the_uncorrelated_filter_agrees_with_the_rule():
    from tisserand.companies.needs import filter_status

    establishment = EstablishmentFactory()
    subject = NeedSubjectFactory()
    structures = [StructureFactory() for _ in range(2)]
    now = timezone.now()
    expected = {}
    for size in range(3):
        for combination in itertools.combinations_with_replacement(list(S), size):
            need = NeedFactory(establishment=establishment, subject=subject)
            for i, status in enumerate(combination):
                NeedAssignment.objects.create(
                    need=need,
                    structure=structures[i],
                    status=status,
                    assigned_at=now,
                    taken_at=now if status == S.TAKEN else None,
                    closed_at=None if status in (S.WAITING, S.TAKEN) else now,
                )
            expected[need.pk] = need_status(combination)
    for status in NeedStatus:
        got = set(filter_status(Need.objects.all(), status).values_list("pk", flat=True))
        assert got == {pk for pk, value in expected.items() if value == status}, status
    both = set(
        filter_status(Need.objects.all(), NeedStatus.DONE, NeedStatus.TO_ROUTE).values_list(
            "pk", flat=True
        )
    )
    assert both == {
        pk for pk, value in expected.items() if value in (NeedStatus.DONE, NeedStatus.TO_ROUTE)
    }
