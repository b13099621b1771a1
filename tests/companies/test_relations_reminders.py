"""Reminders of the journal's next actions and of waiting assignments (9 and 21 days),
abandonment after 45 days, and the satisfaction question: each at the right date, once, and
idempotent when the daily check runs again. Dates are fixed with ``now=``."""

import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from tests.companies.factories import ContactFactory, NeedFactory
from tests.companies.relations_factories import AssignmentFactory, InteractionFactory
from tests.factories import MembershipFactory, UserFactory
from tisserand.companies import reminders, satisfaction, tasks
from tisserand.companies.models import AssignmentStatus, SatisfactionRequest
from tisserand.companies.satisfaction import SatisfactionRefused
from tisserand.structures.roles import Role

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
T0 = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def test_a_next_action_reminds_its_author_on_its_day_once():
    author = UserFactory(email="chargee@mde.exemple")
    interaction = InteractionFactory(
        author=author,
        occurred_on=datetime.date(2026, 2, 20),
        next_action="Rappeler pour le poste",
        next_action_on=datetime.date(2026, 3, 3),
    )
    assert not reminders.due_next_actions(T0).exists()
    assert reminders.send_next_action(interaction.pk, T0) is False
    day = T0 + DAY
    assert list(reminders.due_next_actions(day)) == [interaction]
    assert reminders.send_next_action(interaction.pk, day) is True
    assert reminders.send_next_action(interaction.pk, day) is False
    assert [m.to for m in mail.outbox] == [["chargee@mde.exemple"]]
    assert "Rappeler pour le poste" in mail.outbox[0].body


def test_a_done_next_action_is_not_reminded():
    interaction = InteractionFactory(
        occurred_on=datetime.date(2026, 2, 20),
        next_action="Rappeler",
        next_action_on=datetime.date(2026, 3, 1),
        next_action_done_at=T0,
    )
    assert reminders.send_next_action(interaction.pk, T0) is False
    assert mail.outbox == []


def _waiting(days, **kwargs):
    return AssignmentFactory(assigned_at=T0 - days * DAY, **kwargs)


def test_waiting_assignments_are_reminded_after_9_then_21_days_then_abandoned():
    member = MembershipFactory(role=Role.BUSINESS, user__email="agent@cap.exemple")
    assignment = _waiting(0, structure=member.structure)
    for day in (0, 8):
        assert tasks.check_due(T0 + day * DAY)["waiting_reminders"] == 0
    counts = tasks.check_due(T0 + 9 * DAY)
    assert counts["waiting_reminders"] == 1
    assignment.refresh_from_db()
    assert assignment.first_reminder_at == T0 + 9 * DAY
    # The next run of the same day, and of the days after, sends nothing more.
    assert tasks.check_due(T0 + 9 * DAY)["waiting_reminders"] == 0
    assert tasks.check_due(T0 + 20 * DAY)["waiting_reminders"] == 0
    assert tasks.check_due(T0 + 21 * DAY)["waiting_reminders"] == 1
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["agent@cap.exemple"]
    assert tasks.check_due(T0 + 44 * DAY) == {
        "next_actions": 0,
        "abandoned": 0,
        "waiting_reminders": 0,
        "satisfaction": 0,
    }
    assert tasks.check_due(T0 + 45 * DAY)["abandoned"] == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ABANDONED
    assert assignment.closed_at == T0 + 45 * DAY
    assert tasks.check_due(T0 + 46 * DAY)["abandoned"] == 0
    assert len(mail.outbox) == 2


def test_a_named_member_is_reminded_rather_than_the_structure():
    member = MembershipFactory(role=Role.BUSINESS)
    named = MembershipFactory(structure=member.structure, role=Role.PARTNER)
    assignment = _waiting(10, structure=member.structure, user=named.user)
    assert reminders.send_assignment_reminder(assignment.pk, "first_reminder_at", T0)
    assert mail.outbox[0].to == [named.user.email]


def test_an_assignment_taken_in_charge_is_neither_reminded_nor_abandoned():
    assignment = _waiting(50, status=AssignmentStatus.TAKEN, taken_at=T0 - 49 * DAY)
    assert tasks.check_due(T0) == {
        "next_actions": 0,
        "abandoned": 0,
        "waiting_reminders": 0,
        "satisfaction": 0,
    }
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.TAKEN


def test_a_late_first_run_abandons_without_reminding():
    _waiting(60)
    counts = tasks.check_due(T0)
    assert counts["abandoned"] == 1 and counts["waiting_reminders"] == 0


# --- Satisfaction ------------------------------------------------------------------------------


def _closed_need(consents=True, closed=T0, status=AssignmentStatus.DONE):
    contact = ContactFactory(
        consents_to_contact=consents,
        consent_given_on=datetime.date(2026, 1, 5) if consents else None,
        email="dirigeante@atelier.exemple",
    )
    need = NeedFactory(establishment=contact.establishment, contact=contact)
    AssignmentFactory(need=need, status=status, assigned_at=closed - 3 * DAY, closed_at=closed)
    return need


def _token_from_mail():
    return re.search(r"/entreprises/satisfaction/([^/\s]+)/", mail.outbox[-1].body).group(1)


def test_the_leader_is_asked_the_day_after_closure_once():
    need = _closed_need()
    assert tasks.check_due(T0)["satisfaction"] == 0
    assert tasks.check_due(T0 + DAY)["satisfaction"] == 1
    assert tasks.check_due(T0 + DAY)["satisfaction"] == 0
    asked = SatisfactionRequest.objects.get(need=need)
    token = _token_from_mail()
    # Only the digest is stored.
    assert token not in asked.token_digest and asked.token_digest == satisfaction.digest(token)
    assert mail.outbox[-1].to == ["dirigeante@atelier.exemple"]


def test_no_question_without_consent_nor_for_a_need_still_open():
    _closed_need(consents=False)
    NeedFactory()
    AssignmentFactory(status=AssignmentStatus.WAITING, assigned_at=T0 - 5 * DAY)
    assert tasks.check_due(T0 + 2 * DAY)["satisfaction"] == 0


def test_a_refusal_by_every_structure_asks_nothing():
    _closed_need(status=AssignmentStatus.NOT_FOR_ME)
    assert tasks.check_due(T0 + 2 * DAY)["satisfaction"] == 0


def test_the_link_answers_once():
    need = _closed_need()
    token = satisfaction.issue(need.pk, T0 + DAY)
    data = {"contacted": True, "useful": True, "outcome": "Deux recrutements"}
    answered = satisfaction.answer(token, data=data, now=T0 + 2 * DAY)
    assert answered.useful and answered.outcome == "Deux recrutements"
    with pytest.raises(SatisfactionRefused):
        satisfaction.answer(token, data={"contacted": False, "useful": False}, now=T0 + 3 * DAY)
    answered.refresh_from_db()
    assert answered.contacted is True


def test_an_expired_or_wrong_link_is_refused_and_changes_nothing():
    need = _closed_need()
    token = satisfaction.issue(need.pk, T0 + DAY)
    late = T0 + DAY + datetime.timedelta(days=satisfaction.VALID_DAYS)
    for wrong, when in ((token, late), (token + "x", T0 + 2 * DAY), ("", T0), ("a" * 500, T0)):
        with pytest.raises(SatisfactionRefused):
            satisfaction.answer(wrong, data={"contacted": True}, now=when)
    assert SatisfactionRequest.objects.get().answered_at is None


def test_an_unanswered_request_holds_no_answer_in_the_database():
    need = _closed_need()
    satisfaction.issue(need.pk, T0 + DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionRequest.objects.update(useful=True)


def test_answers_are_aggregated_per_closing_structure():
    need = _closed_need()
    token = satisfaction.issue(need.pk, T0 + DAY)
    satisfaction.answer(token, data={"contacted": True, "useful": False}, now=T0 + 2 * DAY)
    (row,) = satisfaction.by_structure()
    assert (row.asked, row.answered, row.contacted, row.useful) == (1, 1, 1, 0)


def test_a_late_run_sends_only_the_reminder_of_its_window():
    assignment = _waiting(25)
    counts = tasks.check_due(T0)
    assert counts["waiting_reminders"] == 1
    assignment.refresh_from_db()
    assert assignment.first_reminder_at is None and assignment.second_reminder_at == T0
    assert len(mail.outbox) <= 1
