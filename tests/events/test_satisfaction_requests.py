"""The satisfaction survey goes by itself the morning after an event's last session, to each
present participant exactly once (a unique constraint is the claim), opt-outs respected; the
organiser's button sends it by hand, never twice either."""

import uuid
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.companies.factories import ContactFactory
from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.people.factories import PersonFactory
from tisserand.events import notices, services, tasks
from tisserand.events.models import SatisfactionAnswer, SatisfactionRequest, Status
from tisserand.structures.roles import Role

SUBJECT = "Votre avis sur : {}"


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def yesterday():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def past_event(structure, organiser, yesterday):
    """Two sessions, the day before yesterday and yesterday afternoon (the last)."""
    event = EventFactory(structure=structure, created_by=organiser.user, starts_at=None)
    for day in (yesterday - timedelta(days=1), yesterday):
        SessionFactory(event=event, starts_at=_at(day, 14), ends_at=_at(day, 16), capacity=20)
    return event


def _present(session, status=Status.PRESENT, **participant):
    if not participant:
        participant = {"person": PersonFactory(email="present@exemple.invalid")}
    return RegistrationFactory(session=session, status=status, **participant)


def _sessions(event):
    return list(event.sessions.order_by("starts_at"))


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Runs a call, then the messages it queued on commit; returns the call's result."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_survey_goes_the_next_morning_to_each_present_participant_once(
    past_event, yesterday, sent
):
    first, last = _sessions(past_event)
    both = PersonFactory(email="deux@exemple.invalid")
    _present(first, person=both)
    _present(last, person=both)
    _present(first, person=PersonFactory(email="premier@exemple.invalid"))
    _present(last, status=Status.ABSENT, person=PersonFactory(email="absent@exemple.invalid"))
    _present(last, status=Status.EXCUSED, person=PersonFactory(email="excuse@exemple.invalid"))
    mail.outbox.clear()
    morning = _at(yesterday + timedelta(days=1), 10)
    assert sent(tasks.enqueue_satisfaction, morning) == 2
    assert _recipients() == ["deux@exemple.invalid", "premier@exemple.invalid"]
    assert {m.subject for m in mail.outbox} == {SUBJECT.format(past_event.title)}
    # The person present at both sessions gets the link of the last one.
    assert (
        SatisfactionRequest.objects.get(participant=f"person:{both.pk}").registration.session
        == last
    )
    mail.outbox.clear()
    assert sent(tasks.enqueue_satisfaction, morning + timedelta(hours=1)) == 0
    assert mail.outbox == []


def test_not_before_the_morning_after_the_last_session(past_event, yesterday, sent):
    _present(_sessions(past_event)[0])
    today = yesterday + timedelta(days=1)
    assert sent(tasks.enqueue_satisfaction, _at(yesterday, 17)) == 0  # the evening of the event
    assert sent(tasks.enqueue_satisfaction, _at(today, 8, 59)) == 0
    assert not SatisfactionRequest.objects.exists() and mail.outbox == []
    assert sent(tasks.enqueue_satisfaction, _at(today, 9, 1)) == 1


def test_nothing_while_a_session_is_to_come_or_for_an_old_or_cancelled_event(
    past_event, yesterday, sent
):
    _present(_sessions(past_event)[0])
    later = SessionFactory(
        event=past_event,
        starts_at=_at(yesterday + timedelta(days=3), 14),
        ends_at=_at(yesterday + timedelta(days=3), 16),
    )
    morning = _at(yesterday + timedelta(days=1), 10)
    assert sent(tasks.enqueue_satisfaction, morning) == 0
    later.cancelled_at = morning  # the last session is cancelled: the event has ended
    later.save()
    old = morning + timedelta(days=notices.SATISFACTION_WINDOW_DAYS + 1)
    assert sent(tasks.enqueue_satisfaction, old) == 0
    past_event.cancelled_at = morning
    past_event.save()
    assert sent(tasks.enqueue_satisfaction, morning) == 0
    past_event.cancelled_at = None
    past_event.save()
    assert sent(tasks.enqueue_satisfaction, morning) == 1


def test_opt_outs_answers_and_missing_addresses_are_respected(past_event, yesterday, sent):
    first, last = _sessions(past_event)
    opted = PersonFactory(email="stop@exemple.invalid")
    _present(first, person=opted)
    services.opt_out(_present(last, status=Status.ABSENT, person=opted))
    _present(
        first, person=PersonFactory(email="refus@exemple.invalid", email_reminders_opt_out=True)
    )
    _present(first, person=PersonFactory(email=""))
    answered = _present(last, person=PersonFactory(email="deja@exemple.invalid"))
    SatisfactionAnswer.objects.create(registration=answered, rating=5)
    _present(last, person=PersonFactory(email="oui@exemple.invalid"))
    mail.outbox.clear()
    assert sent(tasks.enqueue_satisfaction, _at(yesterday + timedelta(days=1), 10)) == 1
    assert _recipients() == ["oui@exemple.invalid"]


def test_a_contact_and_a_public_registrant_are_each_one_participant(past_event, yesterday, sent):
    first, last = _sessions(past_event)
    contact = ContactFactory(email="rh@entreprise.invalid")
    _present(first, contact=contact, person=None)
    _present(last, contact=contact, person=None)
    public = {
        "person": None,
        "first_name": "Léa",
        "last_name": "Martin",
        "consent_text": "J'accepte",
        "consented_at": timezone.now(),
    }
    _present(first, email="Lea@Exemple.invalid", **public)
    _present(last, email="lea@exemple.invalid", **public)
    mail.outbox.clear()
    assert sent(tasks.enqueue_satisfaction, _at(yesterday + timedelta(days=1), 10)) == 2
    assert len(_recipients()) == 2 and "rh@entreprise.invalid" in _recipients()


def test_the_unique_constraint_is_the_claim(past_event, yesterday):
    """A concurrent run that inserted its rows first leaves nothing to the other."""
    registration = _present(_sessions(past_event)[1])
    key = notices.participant_key(registration)

    SatisfactionRequest.objects.create(
        event=past_event, participant=key, registration=registration, claim=uuid.uuid4()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionRequest.objects.create(
            event=past_event,
            participant=key,
            registration=_present(_sessions(past_event)[0], person=registration.person),
            claim=uuid.uuid4(),
        )
    assert notices.claim_satisfaction(past_event) == []
    assert SatisfactionRequest.objects.count() == 1


def test_the_hourly_command_queues_the_surveys(past_event, yesterday, sent, monkeypatch):
    _present(_sessions(past_event)[1])
    morning = _at(yesterday + timedelta(days=1), 10)
    monkeypatch.setattr(timezone, "now", lambda: morning)
    out = StringIO()
    sent(call_command, "send_event_reminders", stdout=out)
    assert "1 questionnaire(s) de satisfaction" in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_organisers_button_never_sends_twice(
    client_for, organiser, past_event, yesterday, sent
):
    first, last = _sessions(past_event)
    both = PersonFactory(email="deux@exemple.invalid")
    _present(first, person=both)
    _present(last, person=both)
    mail.outbox.clear()
    client = client_for(organiser)
    url = reverse("events:ask_satisfaction", args=[past_event.public_id])
    response = sent(client.post, url, follow=True)
    assert "Questionnaire envoyé à 1 participant(s) présent(s)" in response.content.decode()
    assert _recipients() == ["deux@exemple.invalid"]
    again = sent(client.post, url, follow=True).content.decode()
    assert "Aucun questionnaire envoyé" in again
    assert sent(tasks.enqueue_satisfaction, _at(yesterday + timedelta(days=1), 10)) == 0
    assert len(mail.outbox) == 1


def test_only_the_organiser_may_press_the_button(
    client_for, make_member, other_structure, past_event, sent
):
    _present(_sessions(past_event)[1])
    outsider = client_for(make_member(Role.BUSINESS, other_structure))
    response = sent(outsider.post, reverse("events:ask_satisfaction", args=[past_event.public_id]))
    assert response.status_code == 403
    assert not SatisfactionRequest.objects.exists() and mail.outbox == []
