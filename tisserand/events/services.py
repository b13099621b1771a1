"""Operations on events: create and change events and sessions, register, invite, cancel,
promote the waiting list, record attendance; job datings' companies, candidates and slots.

**Capacity.** A registration that may take a seat runs in one transaction that first locks the
session row: ``select_for_update()`` on PostgreSQL; on SQLite the project opens every
transaction with ``BEGIN IMMEDIATE`` (``transaction_mode`` in the settings), which takes the
database's write lock at once, so registrations are serialised there too. Under that lock the
seat is taken by a conditional update (``seats_taken = seats_taken + 1`` where
``seats_taken < capacity``); the database also refuses ``seats_taken > capacity`` (a check
constraint), so a session is never overbooked whatever the path. A registration that finds no
seat joins the waiting list (``waiting_since``); a cancellation frees the seat and promotes
the oldest waiting registration under the same lock, and the promoted participant is told.

Every change is recorded on the timeline of the event, ``about`` the person (or the company of
a contact) it concerns. Rules broken raise ``EventError`` with a French message.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.events import links
from tisserand.events import tasks as notices
from tisserand.events.models import (
    ATTENDANCE_STATUSES,
    SEAT_STATUSES,
    Event,
    EventCandidate,
    EventCompany,
    InterviewSlot,
    MessageKind,
    Outcome,
    Registration,
    SatisfactionAnswer,
    Session,
    Status,
)

MAX_SESSION_LENGTH = timedelta(hours=12)
# A public registrant's details serve that event only: they are erased this long after it.
PUBLIC_DATA_DAYS = 30
PUBLIC_FIELDS = ("first_name", "last_name", "email", "phone", "consent_text")
ALREADY_ANSWERED = "Vous avez déjà répondu : merci !"


class EventError(DomainError):
    """A rule of events refuses the operation (French message)."""


class SessionFull(EventError):
    pass


def _user(actor):
    return actor.user if actor is not None else None


def _structure(actor):
    return actor.structure if actor is not None else None


def _about(registration):
    if registration.person_id:
        return registration.person
    if registration.contact_id:
        return registration.contact.establishment
    return None


# --- Events and sessions -------------------------------------------------------------------


def _refresh_start(event):
    first = event.sessions.filter(cancelled_at__isnull=True).order_by("starts_at").first()
    Event.objects.filter(pk=event.pk).update(starts_at=first.starts_at if first else None)
    event.starts_at = first.starts_at if first else None


def session_error(starts_at, ends_at, *, now=None, creating=True):
    """The French error for a session's times, or None."""
    now = now or timezone.now()
    if starts_at is None or ends_at is None:
        return "Indiquez le début et la fin de la séance."
    if ends_at <= starts_at:
        return "La fin de la séance doit être après son début."
    if ends_at - starts_at > MAX_SESSION_LENGTH:
        return "Une séance dure au plus 12 heures : créez plusieurs séances."
    if creating and starts_at < now:
        return "La séance ne peut pas commencer dans le passé."
    return None


@transaction.atomic
def create_event(*, data, actor, partners=(), sessions=()):
    """Creates the event (``data``: its fields) for the actor's structure, with its sessions
    (each a dict: starts_at, ends_at, room, capacity)."""
    event = timeline.assign(Event(structure=actor.structure, created_by=actor.user), data)
    event.save()
    if partners:
        event.partners.set(partners)
    timeline.record_creation(
        event, actor=actor.user, structure=actor.structure, summary=f"Événement créé : {event}"
    )
    for session_data in sessions:
        add_session(event, data=session_data, actor=actor)
    return event


@transaction.atomic
def update_event(event, *, data, actor, partners=None):
    before = timeline.stored_snapshot(event, Event.TRACKED_FIELDS)
    timeline.assign(event, data)
    event.save()
    if partners is not None:
        event.partners.set(partners)
    change = timeline.record_changes(event, before, actor=actor.user, structure=actor.structure)
    place_changed = change is not None and any(
        item["field"] in ("adresse", "commune", "lien de la visioconférence")
        for item in change.changes
    )
    if place_changed:
        for registration in _to_tell(Registration.objects.filter(session__event=event)):
            notices.notify(registration, MessageKind.CHANGE)
    return event


@transaction.atomic
def add_session(event, *, data, actor, now=None):
    if event.is_cancelled:
        raise EventError("Cet événement est annulé : il ne reçoit plus de séance.")
    error = session_error(data.get("starts_at"), data.get("ends_at"), now=now)
    if error:
        raise EventError(error)
    if data.get("capacity") is None or data["capacity"] < 0:
        raise EventError("Le nombre de places doit être un nombre positif ou nul.")
    session = timeline.assign(Session(event=event), data)
    session.save()
    _refresh_start(event)
    timeline.record(
        event,
        TimelineEvent.Verb.CHANGED,
        f"Séance ajoutée : {session.label()} ({session.capacity} places)",
        actor=_user(actor),
        structure=_structure(actor),
    )
    return session


def _lock(session):
    """The session, locked until the transaction ends (see the module's docstring)."""
    return Session.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def update_session(session, *, data, actor, now=None):
    """Changes a session's times, room or capacity. The capacity cannot go below the seats
    taken; a larger one promotes the waiting list; new times or room are notified."""
    locked = _lock(session)
    before = timeline.snapshot(locked, Session.TRACKED_FIELDS)
    timeline.assign(locked, data)
    moved = locked.starts_at != session.starts_at or locked.ends_at != session.ends_at
    error = session_error(locked.starts_at, locked.ends_at, now=now, creating=moved)
    if error:
        raise EventError(error)
    if locked.capacity < locked.seats_taken:
        raise EventError(
            f"Le nombre de places ne peut pas être inférieur au nombre d'inscrits "
            f"({locked.seats_taken})."
        )
    locked.save()
    timeline.assign(session, {name: getattr(locked, name) for name in Session.TRACKED_FIELDS})
    session.seats_taken = locked.seats_taken
    _refresh_start(session.event)
    change = timeline.record_changes(
        locked,
        before,
        actor=_user(actor),
        structure=_structure(actor),
        summary=lambda labels: f"Séance du {locked.label()} modifiée : {labels}",
    )
    if change is not None:
        timeline.record(
            session.event,
            TimelineEvent.Verb.CHANGED,
            change.summary,
            actor=_user(actor),
            structure=_structure(actor),
            changes=change.changes,
        )
    _promote(locked, now=now)
    if moved or before["room"] != timeline.snapshot(locked, ["room"])["room"]:
        for registration in _to_tell(locked.registrations.all()):
            notices.notify(registration, MessageKind.CHANGE)
    return locked


def _to_tell(registrations):
    return registrations.filter(status__in=[*SEAT_STATUSES, Status.WAITING]).select_related(
        "session__event"
    )


@transaction.atomic
def cancel_event(event, *, actor, now=None):
    now = now or timezone.now()
    if event.is_cancelled:
        raise EventError("Cet événement est déjà annulé.")
    for registration in _to_tell(
        Registration.objects.filter(session__event=event, session__starts_at__gt=now)
    ):
        notices.notify(registration, MessageKind.CANCELLATION)
    event.cancelled_at = now
    event.save(update_fields=["cancelled_at"])
    event.sessions.filter(cancelled_at__isnull=True).update(cancelled_at=now)
    timeline.record(
        event,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"Événement annulé : {event}",
        actor=actor.user,
        structure=actor.structure,
    )
    return event


# --- Registrations -------------------------------------------------------------------------


def _existing(session, participant):
    rows = Registration.objects.filter(session=session)
    if participant.get("person") is not None:
        return rows.filter(person=participant["person"]).first()
    if participant.get("contact") is not None:
        return rows.filter(contact=participant["contact"]).first()
    return rows.filter(
        person__isnull=True, contact__isnull=True, email__iexact=participant["email"]
    ).first()


def _take_seat(session):
    """Takes one seat of the locked session if one is left; whether it did."""
    taken = Session.objects.filter(pk=session.pk, seats_taken__lt=F("capacity")).update(
        seats_taken=F("seats_taken") + 1
    )
    return bool(taken)


def _free_seat(session):
    Session.objects.filter(pk=session.pk, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )


def _check_open(session, *, now, by_organiser):
    if session.cancelled_at is not None or session.event.is_cancelled:
        raise EventError("Cette séance est annulée : les inscriptions sont fermées.")
    if session.has_started(now):
        raise EventError("Cette séance a déjà commencé : les inscriptions sont fermées.")
    if not by_organiser and not session.event.registration_open(now):
        raise EventError("La date limite d'inscription est passée.")


@transaction.atomic
def register(session, *, participant, actor=None, now=None, by_organiser=False, invite=False):
    """Registers ``participant`` (``{"person": …}``, ``{"contact": …}`` or the public fields
    first_name, last_name, email, phone, consent_text) in ``session``: a seat if one is left,
    else the waiting list (``invite``: an invitation, which takes no seat until confirmed).
    Returns the registration; refuses a participant already registered or waiting."""
    now = now or timezone.now()
    locked = _lock(session)
    locked.event = session.event
    _check_open(locked, now=now, by_organiser=by_organiser)
    registration = _existing(locked, participant)
    if registration is not None and registration.status not in (
        Status.CANCELLED,
        Status.DECLINED,
        *((Status.INVITED,) if not invite else ()),
    ):
        raise EventError(
            f"{registration.participant_name()} est déjà "
            f"{'invité(e)' if registration.status == Status.INVITED else 'inscrit(e)'} à cette "
            f"séance ({registration.get_status_display().lower()})."
        )
    if registration is None:
        registration = Registration(session=locked, **participant)
        if registration.is_public:
            registration.consented_at = now
    registration.session = locked
    if registration.registered_by_id is None:
        registration.registered_by = _user(actor)
    if registration.registered_by_structure_id is None:
        registration.registered_by_structure = _structure(actor)
    registration.cancelled_at = None
    if invite:
        registration.status = Status.INVITED
    elif _take_seat(locked):
        registration.status = Status.REGISTERED
        registration.answered_at = now
    else:
        registration.status = Status.WAITING
        registration.waiting_since = now
        registration.answered_at = now
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the same participant, registered at the same instant
        raise EventError("Cette personne est déjà inscrite à cette séance.") from error
    if registration.token_digest is None:
        registration.token_digest = links.digest(links.token_for(registration))
        registration.save(update_fields=["token_digest"])
    summary = {
        Status.INVITED: "Invitation",
        Status.REGISTERED: "Inscription",
        Status.WAITING: "Inscription en liste d'attente",
    }[registration.status]
    timeline.record(
        locked.event,
        TimelineEvent.Verb.ACTION,
        f"{summary} de {registration.participant_name()} : {locked.event}, séance du "
        f"{locked.label()}",
        actor=_user(actor),
        structure=_structure(actor),
        about=_about(registration),
    )
    notices.notify(
        registration,
        {
            Status.INVITED: MessageKind.INVITATION,
            Status.REGISTERED: MessageKind.CONFIRMATION,
            Status.WAITING: MessageKind.WAITING,
        }[registration.status],
    )
    return registration


def register_many(session, persons, *, actor, now=None, by_organiser=False, invite=False):
    """Registers (or invites) each person; returns (done, refusals as French messages)."""
    done, refused = [], []
    for person in persons:
        try:
            done.append(
                register(
                    session,
                    participant={"person": person},
                    actor=actor,
                    now=now,
                    by_organiser=by_organiser,
                    invite=invite,
                )
            )
        except EventError as error:
            refused.append(str(error))
    return done, refused


@transaction.atomic
def answer_invitation(registration, *, accept, now=None):
    """The participant confirms (a seat, or the waiting list) or declines an invitation.

    An invitation is answered once: the session's row, then the registration's, are locked
    (in the order ``register`` and ``cancel_registration`` take them) and its status read
    again, so of two answers sent at the same instant the second is refused."""
    now = now or timezone.now()
    _lock(registration.session)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.status = locked.status
    if registration.status != Status.INVITED:
        raise EventError("Cette invitation a déjà reçu une réponse.")
    if not accept:
        registration.status = Status.DECLINED
        registration.answered_at = now
        registration.save(update_fields=["status", "answered_at"])
        timeline.record(
            registration.session.event,
            TimelineEvent.Verb.ACTION,
            f"Invitation déclinée par {registration.participant_name()}",
            about=_about(registration),
        )
        return registration
    return register(registration.session, participant=_participant_of(registration), now=now)


def _participant_of(registration):
    """The ``participant`` argument of ``register`` that designates this registration's."""
    if registration.person_id:
        return {"person": registration.person}
    if registration.contact_id:
        return {"contact": registration.contact}
    return {name: getattr(registration, name) for name in PUBLIC_FIELDS}


def _promote(session, *, now=None):
    """Promotes the oldest waiting registrations of the locked session while seats are left."""
    now = now or timezone.now()
    promoted = []
    while True:
        waiting = (
            Registration.objects.filter(session=session, status=Status.WAITING)
            .order_by("waiting_since", "id")
            .first()
        )
        if waiting is None or not _take_seat(session):
            return promoted
        waiting.status = Status.REGISTERED
        waiting.save(update_fields=["status"])
        timeline.record(
            session.event,
            TimelineEvent.Verb.STATUS_CHANGED,
            f"{waiting.participant_name()} sort de la liste d'attente : inscrit(e) à la séance "
            f"du {session.label()}",
            about=_about(waiting),
        )
        notices.notify(waiting, MessageKind.PROMOTION)
        promoted.append(waiting)


@transaction.atomic
def cancel_registration(registration, *, actor=None, now=None):
    """Cancels a registration (or leaves the waiting list); a freed seat goes to the oldest
    waiting registration, who is told. Returns the promoted registrations."""
    now = now or timezone.now()
    locked = _lock(registration.session)
    locked.event = registration.session.event
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.session = locked
    if registration.status in ATTENDANCE_STATUSES:
        raise EventError("La présence est saisie : cette inscription ne peut plus être annulée.")
    if registration.status not in (Status.REGISTERED, Status.WAITING, Status.INVITED):
        raise EventError("Cette inscription est déjà annulée.")
    held_seat = registration.holds_seat
    registration.status = Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if held_seat:
        _free_seat(locked)
    timeline.record(
        locked.event,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"Inscription annulée : {registration.participant_name()}, séance du {locked.label()}",
        actor=_user(actor),
        structure=_structure(actor),
        about=_about(registration),
    )
    return _promote(locked, now=now) if held_seat and not locked.has_started(now) else []


def remind_invited(event, *, actor, now=None, every=timedelta(days=2)):
    """Reminds the invited who have not answered (at most once per ``every``); how many."""
    now = now or timezone.now()
    pending = Registration.objects.filter(
        session__event=event, status=Status.INVITED, session__starts_at__gt=now
    ).exclude(invitation_reminded_at__gt=now - every)
    count = 0
    for registration in pending.select_related("session__event"):
        Registration.objects.filter(pk=registration.pk).update(invitation_reminded_at=now)
        notices.notify(registration, MessageKind.INVITATION, reminder=True)
        count += 1
    if count:
        timeline.record(
            event,
            TimelineEvent.Verb.ACTION,
            f"Relance de {count} invitation{'s' if count > 1 else ''} sans réponse",
            actor=actor.user,
            structure=actor.structure,
        )
    return count


# --- Attendance ----------------------------------------------------------------------------


@transaction.atomic
def record_attendance(session, statuses, *, actor, now=None):
    """``statuses``: {registration public id (str): present | excused | absent}. Only once the
    session has started, for registrations holding a seat. Each change goes on the person's
    timeline. Returns how many changed."""
    now = now or timezone.now()
    if not session.has_started(now):
        raise EventError("La présence se saisit une fois la séance commencée.")
    changed = 0
    registrations = {
        str(registration.public_id): registration
        for registration in session.registrations.filter(status__in=SEAT_STATUSES).select_related(
            "person", "contact__establishment"
        )
    }
    drafts = []
    for public_id, status in statuses.items():
        registration = registrations.get(public_id)
        if registration is None or status not in ATTENDANCE_STATUSES:
            raise EventError("Choisissez, pour chaque participant : présent, excusé ou absent.")
        if registration.status == status:
            continue
        before = registration.get_status_display()
        registration.status = status
        registration.attendance_recorded_at = now
        registration.attendance_recorded_by = actor.user
        registration.save(
            update_fields=["status", "attendance_recorded_at", "attendance_recorded_by"]
        )
        drafts.append(
            (
                TimelineEvent(
                    subject_type=_content_type(Event),
                    subject_id=str(session.event_id),
                    verb=TimelineEvent.Verb.STATUS_CHANGED,
                    summary=f"Présence à « {session.event} » ({session.label()}) : "
                    f"{registration.get_status_display().lower()}",
                    actor=actor.user,
                    actor_structure=actor.structure,
                    changes=[
                        {
                            "field": "présence",
                            "before": before,
                            "after": registration.get_status_display(),
                        }
                    ],
                ),
                _about(registration),
            )
        )
        changed += 1
    if drafts:
        timeline.bulk_record(drafts)
    return changed


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model)


# --- Job datings -----------------------------------------------------------------------------


@transaction.atomic
def add_company(event, *, establishment, needs="", actor):
    """Adds a participating company, with one slot per ``slot_minutes`` of each session."""
    if EventCompany.objects.filter(event=event, establishment=establishment).exists():
        raise EventError("Cette entreprise participe déjà à l'événement.")
    company = EventCompany.objects.create(event=event, establishment=establishment, needs=needs)
    step = timedelta(minutes=event.slot_minutes)
    slots = []
    for session in event.sessions.filter(cancelled_at__isnull=True):
        start = session.starts_at
        while start + step <= session.ends_at:
            slots.append(InterviewSlot(company=company, starts_at=start, ends_at=start + step))
            start += step
    InterviewSlot.objects.bulk_create(slots)
    timeline.record(
        event,
        TimelineEvent.Verb.ACTION,
        f"Entreprise participante : {establishment}" + (f" — {needs[:120]}" if needs else ""),
        actor=actor.user,
        structure=actor.structure,
        about=establishment,
    )
    return company


@transaction.atomic
def propose_candidate(event, *, person, actor):
    candidate, created = EventCandidate.objects.get_or_create(
        event=event,
        person=person,
        defaults={"proposed_by": actor.user, "structure": actor.structure},
    )
    if not created:
        raise EventError(f"{person} est déjà proposé(e) pour cet événement.")
    timeline.record(
        event,
        TimelineEvent.Verb.ACTION,
        f"Candidature proposée pour « {event} »",
        actor=actor.user,
        structure=actor.structure,
        about=person,
    )
    return candidate


def _lock_slot(slot):
    """Reads the slot's candidate and outcome again, its row locked until the transaction
    ends: what the page showed may have changed since."""
    locked = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    slot.candidate_id, slot.outcome = locked.candidate_id, locked.outcome
    return slot


@transaction.atomic
def assign_slot(slot, *, candidate, actor):
    """Puts ``candidate`` (or nobody) in the slot.

    Each slot is taken once: its row is locked and its candidate read again under the lock,
    so of two organisers filling the same free slot at the same instant the second is refused
    (« déjà pris »). A candidate is in one place at a time: a unique constraint on
    (candidate, start) refuses a second slot at the same time, in French."""
    if candidate is not None and candidate.event_id != slot.company.event_id:
        raise EventError("Ce candidat n'est pas proposé pour cet événement.")
    _lock_slot(slot)
    if slot.outcome:
        raise EventError("Le résultat de cet entretien est saisi : le créneau est figé.")
    if candidate is not None and slot.candidate_id not in (None, candidate.pk):
        raise EventError("Ce créneau est déjà pris : libérez-le d'abord.")
    slot.candidate = candidate
    try:
        with transaction.atomic():
            slot.save(update_fields=["candidate"])
    except IntegrityError as error:
        raise EventError(
            f"{candidate.person} a déjà un entretien à "
            f"{timezone.localtime(slot.starts_at):%H:%M} avec une autre entreprise."
        ) from error
    if candidate is not None:
        timeline.record(
            slot.company.event,
            TimelineEvent.Verb.ACTION,
            f"Entretien prévu avec {slot.company.establishment} à "
            f"{timezone.localtime(slot.starts_at):%H:%M} (« {slot.company.event} »)",
            actor=actor.user,
            structure=actor.structure,
            about=[candidate.person, slot.company.establishment],
        )
    return slot


@transaction.atomic
def record_outcome(slot, *, outcome, actor):
    _lock_slot(slot)
    if slot.candidate_id is None:
        raise EventError("Aucun candidat sur ce créneau : pas de résultat à saisir.")
    if outcome not in Outcome.values:
        raise EventError("Choisissez un résultat : à suivre, non retenu ou recruté.")
    before = slot.get_outcome_display() or "—"
    slot.outcome = outcome
    slot.save(update_fields=["outcome"])
    timeline.record(
        slot.company.event,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"Entretien avec {slot.company.establishment} (« {slot.company.event} ») : "
        f"{slot.get_outcome_display().lower()}",
        actor=actor.user,
        structure=actor.structure,
        changes=[{"field": "résultat", "before": before, "after": slot.get_outcome_display()}],
        about=[slot.candidate.person, slot.company.establishment],
    )
    return slot


# --- Satisfaction ----------------------------------------------------------------------------


@transaction.atomic
def answer_satisfaction(registration, *, data, now=None):
    """Records a present participant's answer to the survey. The link serves once: the
    registration's row is locked while the answer is looked for, and the database holds one
    answer per registration (a one-to-one), so two answers sent together make one row."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Status.PRESENT:
        raise EventError("Le questionnaire est réservé aux participants présents.")
    if SatisfactionAnswer.objects.filter(registration=registration).exists():
        raise EventError(ALREADY_ANSWERED)
    rating = data.get("rating")
    if rating not in (1, 2, 3, 4, 5):
        raise EventError("Choisissez une note de 1 à 5.")
    try:
        with transaction.atomic():
            return SatisfactionAnswer.objects.create(
                registration=registration,
                rating=rating,
                useful=data.get("useful"),
                comment=data.get("comment", "")[:2000],
                answered_at=now,
            )
    except IntegrityError as error:
        raise EventError(ALREADY_ANSWERED) from error


def opt_out(registration):
    """The recipient wants no more messages: for a person, their reminders preference."""
    Registration.objects.filter(pk=registration.pk).update(email_opt_out=True)
    if registration.person_id:
        type(registration.person).objects.filter(pk=registration.person_id).update(
            email_reminders_opt_out=True
        )


def forget_public_registrants(now=None):
    """Erases the details of the public registrants of sessions ended ``PUBLIC_DATA_DAYS``
    ago (the row stays, anonymous, so that the figures of the event do not change)."""
    now = now or timezone.now()
    rows = Registration.objects.filter(
        person__isnull=True,
        contact__isnull=True,
        session__ends_at__lt=now - timedelta(days=PUBLIC_DATA_DAYS),
    ).exclude(first_name="", phone="", email__endswith="@efface.invalid")
    count = 0
    for registration in rows.only("pk"):
        Registration.objects.filter(pk=registration.pk).update(
            first_name="",
            last_name="Participant anonymisé",
            email=f"anonyme-{registration.pk}@efface.invalid",
            phone="",
        )
        count += 1
    return count
