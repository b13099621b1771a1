"""The rules of events: capacity, waiting list, bad input, attendance, job datings."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.companies.factories import ContactFactory, EstablishmentFactory
from tests.events.factories import EventFactory, SessionFactory, soon
from tests.people.factories import PersonFactory
from tisserand.core.models import TimelineEvent
from tisserand.core.timeline import events_about
from tisserand.events import links, selectors, services
from tisserand.events.models import Event, InterviewSlot, Registration, Session, Status


def _register(session, person, actor=None, **kwargs):
    return services.register(session, participant={"person": person}, actor=actor, **kwargs)


def test_registration_takes_a_seat_then_the_waiting_list(session, organiser_actor):
    persons = PersonFactory.create_batch(5)
    statuses = [_register(session, p, organiser_actor).status for p in persons]
    assert statuses == [Status.REGISTERED] * 3 + [Status.WAITING] * 2
    session.refresh_from_db()
    assert session.seats_taken == 3 == selectors.seats_taken_count(session)


def test_no_double_registration(session, organiser_actor):
    person = PersonFactory()
    _register(session, person, organiser_actor)
    with pytest.raises(services.EventError, match="déjà inscrit"):
        _register(session, person, organiser_actor)
    assert Registration.objects.filter(session=session, person=person).count() == 1


def test_the_database_refuses_a_second_row_for_the_same_person(session):
    person = PersonFactory()
    Registration.objects.create(session=session, person=person, status=Status.INVITED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(session=session, person=person, status=Status.INVITED)


def test_the_database_refuses_overbooking(session):
    session.seats_taken = 3
    session.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(seats_taken=4)


def test_the_database_refuses_a_negative_capacity_and_an_end_before_the_start(event):
    start = soon()
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(event=event, starts_at=start, ends_at=start, capacity=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=SessionFactory(event=event).pk).update(capacity=-1)


def test_cancellation_promotes_the_oldest_waiting_and_tells_them(
    session, organiser_actor, run_on_commit
):
    persons = PersonFactory.create_batch(5, email="p@exemple.invalid")
    registrations = [_register(session, p, organiser_actor) for p in persons]
    mail.outbox.clear()
    promoted = services.cancel_registration(registrations[0], actor=organiser_actor)
    assert [r.pk for r in promoted] == [registrations[3].pk]
    assert Registration.objects.get(pk=registrations[4].pk).status == Status.WAITING
    session.refresh_from_db()
    assert session.seats_taken == 3
    run_on_commit.clear()


def test_promotion_message_is_sent(session, organiser_actor, django_capture_on_commit_callbacks):
    persons = [PersonFactory(email=f"p{n}@exemple.invalid") for n in range(4)]
    registrations = [_register(session, p, organiser_actor) for p in persons]
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registrations[0], actor=organiser_actor)
    subjects = [(m.to, m.subject) for m in mail.outbox]
    assert (["p3@exemple.invalid"], f"Une place s'est libérée : {session.event.title}") in subjects
    message = mail.outbox[-1]
    assert message.attachments and message.attachments[0][0] == "evenement.ics"
    assert "/mon-inscription/" in message.body


def test_a_person_who_refuses_reminders_gets_no_message(
    session, organiser_actor, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="non@exemple.invalid", email_reminders_opt_out=True)
    with django_capture_on_commit_callbacks(execute=True):
        _register(session, person, organiser_actor)
    assert mail.outbox == []


def test_session_in_the_past_is_refused(event, organiser_actor):
    start = timezone.now() - timedelta(days=1)
    with pytest.raises(services.EventError, match="passé"):
        services.add_session(
            event,
            data={"starts_at": start, "ends_at": start + timedelta(hours=1), "capacity": 5},
            actor=organiser_actor,
        )
    assert not event.sessions.exists()


def test_end_before_start_is_refused(event, organiser_actor):
    start = soon()
    with pytest.raises(services.EventError, match="après son début"):
        services.add_session(
            event,
            data={"starts_at": start, "ends_at": start - timedelta(hours=1), "capacity": 5},
            actor=organiser_actor,
        )
    assert not event.sessions.exists()


def test_capacity_below_the_registered_count_is_refused(session, organiser_actor):
    for person in PersonFactory.create_batch(3):
        _register(session, person, organiser_actor)
    session.refresh_from_db()
    with pytest.raises(services.EventError, match="inférieur au nombre d'inscrits"):
        services.update_session(session, data={"capacity": 2}, actor=organiser_actor)
    session.refresh_from_db()
    assert session.capacity == 3


def test_a_larger_capacity_promotes_the_waiting_list(session, organiser_actor):
    registrations = [_register(session, p, organiser_actor) for p in PersonFactory.create_batch(5)]
    services.update_session(session, data={"capacity": 4}, actor=organiser_actor)
    assert Registration.objects.get(pk=registrations[3].pk).status == Status.REGISTERED
    assert Registration.objects.get(pk=registrations[4].pk).status == Status.WAITING


def test_registration_deadline(event, session, organiser_actor):
    event.registration_deadline = timezone.now() - timedelta(hours=1)
    event.save()
    with pytest.raises(services.EventError, match="date limite"):
        services.register(
            session,
            participant={
                "first_name": "Léa",
                "last_name": "Martin",
                "email": "lea@exemple.invalid",
                "consent_text": "ok",
            },
        )
    # The organiser may still register someone.
    assert _register(session, PersonFactory(), organiser_actor, by_organiser=True).pk


def test_invitation_then_confirmation_and_decline(session, organiser_actor):
    first, second = PersonFactory.create_batch(2)
    invited = [_register(session, p, organiser_actor, invite=True) for p in (first, second)]
    assert {r.status for r in invited} == {Status.INVITED}
    session.refresh_from_db()
    assert session.seats_taken == 0
    token = links.token_for(invited[0])
    registration = links.registration_for(token)
    assert registration.pk == invited[0].pk
    assert registration.token_digest != token  # only the digest is stored
    assert services.answer_invitation(registration, accept=True).status == Status.REGISTERED
    assert services.answer_invitation(invited[1], accept=False).status == Status.DECLINED
    assert services.remind_invited(session.event, actor=organiser_actor) == 0


def test_an_invited_public_registrant_confirms_and_takes_a_seat(session):
    invited = services.register(
        session,
        participant={
            "first_name": "Camille",
            "last_name": "Publique",
            "email": "camille@exemple.invalid",
            "consent_text": "ok",
        },
        invite=True,
    )
    assert services.answer_invitation(invited, accept=True).status == Status.REGISTERED
    session.refresh_from_db()
    assert (session.seats_taken, Registration.objects.count()) == (1, 1)
    with pytest.raises(services.EventError, match="déjà reçu une réponse"):
        services.answer_invitation(invited, accept=False)


def test_reminders_to_the_invited_who_did_not_answer(session, organiser_actor):
    for person in PersonFactory.create_batch(2):
        _register(session, person, organiser_actor, invite=True)
    assert services.remind_invited(session.event, actor=organiser_actor) == 2
    # Not twice in a row.
    assert services.remind_invited(session.event, actor=organiser_actor) == 0


def test_public_registration_needs_consent_and_is_unique_per_email(session):
    participant = {
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea@exemple.invalid",
        "consent_text": "ok",
    }
    registration = services.register(session, participant=participant)
    assert registration.consented_at is not None
    with pytest.raises(services.EventError):
        services.register(session, participant={**participant, "email": "LEA@exemple.invalid"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            session=session, first_name="X", last_name="Y", email="x@exemple.invalid"
        )


def test_company_contact_registration(session, organiser_actor):
    contact = ContactFactory()
    registration = services.register(
        session, participant={"contact": contact}, actor=organiser_actor
    )
    assert registration.status == Status.REGISTERED
    assert events_about(contact.establishment).exists()


def test_attendance_only_once_started_and_on_the_persons_timeline(session, organiser_actor):
    person = PersonFactory()
    registration = _register(session, person, organiser_actor)
    with pytest.raises(services.EventError, match="commencée"):
        services.record_attendance(
            session, {str(registration.public_id): Status.PRESENT}, actor=organiser_actor
        )
    later = session.starts_at + timedelta(minutes=5)
    changed = services.record_attendance(
        session, {str(registration.public_id): Status.PRESENT}, actor=organiser_actor, now=later
    )
    assert changed == 1
    summaries = list(events_about(person).values_list("summary", flat=True))
    assert any("Présence" in summary and "présent" in summary for summary in summaries)
    with pytest.raises(services.EventError):
        services.record_attendance(
            session, {str(registration.public_id): "registered"}, actor=organiser_actor, now=later
        )
    with pytest.raises(services.EventError, match="présence est saisie"):
        services.cancel_registration(Registration.objects.get(pk=registration.pk))


def test_esf_rule_one_day_does_not_make_a_participant(structure, organiser_actor):
    event = EventFactory(structure=structure)
    day_one = SessionFactory(event=event)
    day_two = SessionFactory(event=event, starts_at=day_one.starts_at + timedelta(days=1))
    one_day, two_days = PersonFactory.create_batch(2)
    for session, persons in ((day_one, (one_day, two_days)), (day_two, (two_days,))):
        rows = [_register(session, p, organiser_actor) for p in persons]
        services.record_attendance(
            session,
            {str(r.public_id): Status.PRESENT for r in rows},
            actor=organiser_actor,
            now=session.starts_at + timedelta(minutes=1),
        )
    assert selectors.esf_participant_ids() == {two_days.pk}
    assert not selectors.counts_as_participant(one_day)
    assert selectors.counts_as_participant(two_days)


def test_event_cancellation_notifies(session, organiser_actor, django_capture_on_commit_callbacks):
    _register(session, PersonFactory(email="a@exemple.invalid"), organiser_actor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(session.event, actor=organiser_actor)
    assert [m.subject for m in mail.outbox] == [f"Annulation : {session.event.title}"]
    assert Event.objects.get(pk=session.event.pk).is_cancelled


def test_a_moved_session_notifies_a_change(
    session, organiser_actor, django_capture_on_commit_callbacks
):
    _register(session, PersonFactory(email="a@exemple.invalid"), organiser_actor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(
            session,
            data={
                "starts_at": session.starts_at + timedelta(hours=1),
                "ends_at": session.ends_at + timedelta(hours=1),
            },
            actor=organiser_actor,
        )
    assert [m.subject for m in mail.outbox] == [f"Changement : {session.event.title}"]


def test_day_before_reminders_are_claimed_once(session, organiser_actor):
    from tisserand.events import notices

    _register(session, PersonFactory(email="a@exemple.invalid"), organiser_actor)
    now = session.starts_at - timedelta(hours=20)
    assert len(notices.claim_day_before(now)) == 1
    assert notices.claim_day_before(now) == []


# --- Job datings -----------------------------------------------------------------------------


@pytest.fixture
def job_dating(structure, organiser):
    event = EventFactory(structure=structure, event_type="job_dating", slot_minutes=30)
    SessionFactory(event=event, starts_at=soon(hour=9), ends_at=soon(hour=11))
    return event


def test_slot_matrix_one_slot_once_and_one_place_at_a_time(job_dating, organiser_actor):
    first = services.add_company(
        job_dating, establishment=EstablishmentFactory(), actor=organiser_actor
    )
    second = services.add_company(
        job_dating, establishment=EstablishmentFactory(), actor=organiser_actor
    )
    assert first.slots.count() == 4
    person, other = PersonFactory.create_batch(2)
    candidate = services.propose_candidate(job_dating, person=person, actor=organiser_actor)
    rival = services.propose_candidate(job_dating, person=other, actor=organiser_actor)
    slot = first.slots.order_by("starts_at").first()
    services.assign_slot(slot, candidate=candidate, actor=organiser_actor)
    same_time = second.slots.get(starts_at=slot.starts_at)
    with pytest.raises(services.EventError, match="déjà un entretien"):
        services.assign_slot(same_time, candidate=candidate, actor=organiser_actor)
    with pytest.raises(services.EventError, match="déjà pris"):
        services.assign_slot(slot, candidate=rival, actor=organiser_actor)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewSlot.objects.filter(pk=same_time.pk).update(candidate=candidate)


def test_interview_outcome_on_the_person_and_company_timelines(job_dating, organiser_actor):
    establishment = EstablishmentFactory()
    company = services.add_company(job_dating, establishment=establishment, actor=organiser_actor)
    person = PersonFactory()
    candidate = services.propose_candidate(job_dating, person=person, actor=organiser_actor)
    slot = company.slots.first()
    with pytest.raises(services.EventError):
        services.record_outcome(slot, outcome="hired", actor=organiser_actor)
    services.assign_slot(slot, candidate=candidate, actor=organiser_actor)
    services.record_outcome(slot, outcome="hired", actor=organiser_actor)
    for record in (person, establishment):
        assert (
            events_about(record)
            .filter(verb=TimelineEvent.Verb.STATUS_CHANGED, summary__contains="recruté")
            .exists()
        )


def test_satisfaction_only_for_the_present_and_once(session, organiser_actor):
    registration = _register(session, PersonFactory(), organiser_actor)
    with pytest.raises(services.EventError):
        services.answer_satisfaction(registration, data={"rating": 5})
    services.record_attendance(
        session,
        {str(registration.public_id): Status.PRESENT},
        actor=organiser_actor,
        now=session.starts_at + timedelta(minutes=1),
    )
    registration.refresh_from_db()
    services.answer_satisfaction(registration, data={"rating": 4, "useful": True})
    with pytest.raises(services.EventError):
        services.answer_satisfaction(registration, data={"rating": 4})


def test_public_registrants_are_forgotten_after_the_event(session):
    registration = services.register(
        session,
        participant={
            "first_name": "Léa",
            "last_name": "Martin",
            "email": "lea@exemple.invalid",
            "phone": "+33320000000",
            "consent_text": "ok",
        },
    )
    assert services.forget_public_registrants() == 0
    later = session.ends_at + timedelta(days=services.PUBLIC_DATA_DAYS + 1)
    assert services.forget_public_registrants(now=later) == 1
    registration.refresh_from_db()
    assert (registration.first_name, registration.phone) == ("", "")
    assert "lea" not in registration.email and registration.status == Status.REGISTERED
    assert services.forget_public_registrants(now=later) == 0


def test_reminder_command(session, organiser_actor, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    _register(session, PersonFactory(email="a@exemple.invalid"), organiser_actor)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + timedelta(hours=20),
        ends_at=timezone.now() + timedelta(hours=22),
    )
    mail.outbox.clear()
    out = StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "1 rappel(s)" in out.getvalue()
    assert [m.subject for m in mail.outbox] == [f"Rappel : {session.event.title} demain"]
