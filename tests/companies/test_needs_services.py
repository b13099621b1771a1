"""Recording, routing and answering needs: the rules, from both sides, and the database
constraints that hold the figures whatever the code does."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.companies.factories import (
    ContactFactory,
    EstablishmentFactory,
    LeaderAccountFactory,
    NeedFactory,
    NeedSubjectFactory,
)
from tests.companies.relations_factories import AssignmentFactory
from tests.factories import MembershipFactory, StructureFactory, UserFactory
from tisserand.companies import hooks, needs
from tisserand.companies.models import AssignmentStatus, NeedAssignment, NeedKind, NeedStatus
from tisserand.companies.services import CompanyError
from tisserand.core.actor import Actor
from tisserand.core.timeline import events_about
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return MembershipFactory(role=Role.BUSINESS)


@pytest.fixture
def need(officer):
    return needs.record_need(
        EstablishmentFactory(),
        data={"subject": NeedSubjectFactory(), "description": "Deux caristes"},
        actor=Actor.of(officer),
    )


def test_routing_to_several_structures_shows_on_the_company_timeline(need, officer):
    partner = StructureFactory()
    other = StructureFactory()
    created = needs.route(
        need, data={"structures": [partner, other], "comment": "Urgent"}, actor=Actor.of(officer)
    )
    assert {a.structure for a in created} == {partner, other}
    assert needs.status_of(need) == NeedStatus.WAITING
    verbs = [event.verb for event in events_about(need.establishment)]
    assert verbs.count("need_routed") == 2


def test_routing_to_an_officer_of_my_structure(need, officer):
    colleague = MembershipFactory(structure=officer.structure, role=Role.BUSINESS)
    (assignment,) = needs.route(need, data={"officer": colleague.user}, actor=Actor.of(officer))
    assert assignment.structure == officer.structure
    assert assignment.user == colleague.user


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"structures": []},
        {"officer": "outsider"},
        {"structures": ["funder"]},
        {"structures": ["inactive"]},
    ],
)
def test_a_bad_routing_is_refused_and_changes_nothing(need, officer, data):
    values = {
        "outsider": UserFactory(),
        "funder": StructureFactory(kind=StructureKind.FUNDER),
        "inactive": StructureFactory(is_active=False),
    }
    data = {
        key: ([values[v] for v in value] if isinstance(value, list) else values[value])
        for key, value in data.items()
    }
    with pytest.raises(CompanyError):
        needs.route(need, data=data, actor=Actor.of(officer))
    assert not NeedAssignment.objects.exists()


def test_routing_twice_to_the_same_structure_is_refused(need, officer):
    partner = StructureFactory(name="Cap Emploi")
    needs.route(need, data={"structures": [partner]}, actor=Actor.of(officer))
    with pytest.raises(CompanyError, match="Cap Emploi"):
        needs.route(need, data={"structures": [partner]}, actor=Actor.of(officer))
    assert NeedAssignment.objects.count() == 1


def test_a_partner_of_the_assigned_structure_takes_it_in_charge_then_closes(need, officer):
    partner = MembershipFactory(role=Role.PARTNER)
    (assignment,) = needs.route(
        need, data={"structures": [partner.structure]}, actor=Actor.of(officer)
    )
    needs.set_status(assignment, data={"status": "taken"}, actor=Actor.of(partner))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.TAKEN
    assert assignment.taken_at is not None and assignment.user == partner.user
    assert needs.status_of(need) == NeedStatus.TAKEN
    needs.set_status(
        assignment, data={"status": "done", "comment": "Recruté"}, actor=Actor.of(partner)
    )
    assignment.refresh_from_db()
    assert assignment.closed_at is not None and assignment.comment == "Recruté"
    assert needs.status_of(need) == NeedStatus.DONE


def test_another_structure_cannot_answer(need, officer):
    partner = StructureFactory()
    (assignment,) = needs.route(need, data={"structures": [partner]}, actor=Actor.of(officer))
    with pytest.raises(CompanyError):
        needs.set_status(assignment, data={"status": "taken"}, actor=Actor.of(officer))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WAITING


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("taken", "waiting"),
        ("done", "done_no_help"),
        ("waiting", "abandoned"),
        ("waiting", "nonsense"),
        ("taken", "taken"),
    ],
)
def test_forbidden_changes(start, target):
    member = MembershipFactory(role=Role.PARTNER)
    now = timezone.now()
    assignment = AssignmentFactory(
        structure=member.structure,
        status=start,
        assigned_at=now,
        taken_at=now if start == "taken" else None,
        closed_at=now if start == "done" else None,
    )
    with pytest.raises(CompanyError):
        needs.set_status(assignment, data={"status": target}, actor=Actor.of(member))
    assignment.refresh_from_db()
    assert assignment.status == start


def test_a_closed_assignment_can_be_taken_again(need):
    member = MembershipFactory(role=Role.PARTNER)
    now = timezone.now()
    assignment = AssignmentFactory(
        need=need,
        structure=member.structure,
        status="not_reachable",
        assigned_at=now,
        closed_at=now,
    )
    needs.set_status(assignment, data={"status": "taken"}, actor=Actor.of(member))
    assignment.refresh_from_db()
    assert assignment.closed_at is None and assignment.status == "taken"


@pytest.mark.parametrize(
    "values",
    [
        {"status": "taken", "taken_at": None},
        {"status": "done", "closed_at": None},
        {"status": "waiting", "closed_at": "now"},
        {"status": "bogus"},
        {"closed_at": "before", "status": "done"},
    ],
)
def test_the_database_refuses_an_inconsistent_assignment(values):
    now = timezone.now()
    resolved = {
        key: (
            now
            if value == "now"
            else now - timezone.timedelta(days=9)
            if value == "before"
            else value
        )
        for key, value in values.items()
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(assigned_at=now, **resolved)


def test_one_assignment_per_structure_in_the_database():
    assignment = AssignmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(need=assignment.need, structure=assignment.structure)


def test_an_inactive_subject_is_refused_to_an_officer(officer):
    subject = NeedSubjectFactory(label="Ancien sujet", is_active=False)
    with pytest.raises(CompanyError):
        needs.record_need(
            EstablishmentFactory(), data={"subject": subject}, actor=Actor.of(officer)
        )


def test_the_leader_records_a_need_for_their_company_only():
    account = LeaderAccountFactory()
    subject = NeedSubjectFactory()
    need = needs.record_need_from_leader(
        account.establishment, data={"subject": subject}, actor=Actor(account.user)
    )
    assert need.from_leader and need.created_by_structure is None
    with pytest.raises(CompanyError):
        needs.record_need_from_leader(
            EstablishmentFactory(), data={"subject": subject}, actor=Actor(account.user)
        )


def test_a_recruitment_need_calls_the_offers_hook(officer, django_capture_on_commit_callbacks):
    called = []
    hooks.hooks.provide(hooks.RECRUITMENT_NEED_OPENED, lambda need, actor: called.append(need))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            recruitment = needs.record_need(
                EstablishmentFactory(),
                data={"subject": NeedSubjectFactory(kind=NeedKind.RECRUITMENT)},
                actor=Actor.of(officer),
            )
            needs.record_need(
                EstablishmentFactory(),
                data={"subject": NeedSubjectFactory(label="Locaux", kind=NeedKind.PREMISES)},
                actor=Actor.of(officer),
            )
    finally:
        hooks.hooks.withdraw(hooks.RECRUITMENT_NEED_OPENED)
    assert called == [recruitment]


def test_a_need_refuses_another_company_s_contact(officer):
    with pytest.raises(CompanyError):
        needs.record_need(
            EstablishmentFactory(),
            data={"subject": NeedSubjectFactory(), "contact": ContactFactory()},
            actor=Actor.of(officer),
        )


def test_need_factory_default_is_to_route():
    assert needs.status_of(NeedFactory()) == NeedStatus.TO_ROUTE
