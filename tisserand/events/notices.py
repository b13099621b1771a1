"""The messages to participants: invitation, confirmation, waiting list, promotion, reminder
the day before, change and cancellation notices, satisfaction survey.

Each is sent by a background task (``tasks.send_notice``, enqueued once the transaction
commits by ``tasks.notify``), by e-mail, with the session's ICS attached. The wording is the
structure's ``MessageTemplate`` for the event's type, else ``DEFAULTS``. Every message ends
with the personal link and the way to stop receiving messages; a recipient who opted out (or a
person who refuses reminders) gets nothing. This module knows nothing of the tasks.
"""

import uuid
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from tisserand.core.site import site_url
from tisserand.events import ics, links
from tisserand.events.models import (
    SEAT_STATUSES,
    Event,
    MessageKind,
    MessageTemplate,
    Registration,
    SatisfactionAnswer,
    SatisfactionRequest,
    Session,
    Status,
)

DEFAULTS = {
    MessageKind.INVITATION: (
        "Invitation : {titre}",
        "Bonjour {nom},\n\n{structure} vous invite à « {titre} », {seance}, {lieu}.\n\n"
        "Merci de confirmer ou de décliner votre participation par le lien ci-dessous.",
    ),
    MessageKind.CONFIRMATION: (
        "Inscription confirmée : {titre}",
        "Bonjour {nom},\n\nVotre inscription à « {titre} » est confirmée : {seance}, {lieu}.\n"
        "Le rendez-vous est joint à ce message pour votre agenda.",
    ),
    MessageKind.WAITING: (
        "Liste d'attente : {titre}",
        "Bonjour {nom},\n\n« {titre} » ({seance}) est complet : vous êtes sur la liste "
        "d'attente. Nous vous écrirons dès qu'une place se libère.",
    ),
    MessageKind.PROMOTION: (
        "Une place s'est libérée : {titre}",
        "Bonjour {nom},\n\nUne place s'est libérée : vous êtes inscrit(e) à « {titre} », "
        "{seance}, {lieu}. Si vous ne pouvez plus venir, annulez par le lien ci-dessous.",
    ),
    MessageKind.REMINDER: (
        "Rappel : {titre} demain",
        "Bonjour {nom},\n\nNous vous attendons demain pour « {titre} » : {seance}, {lieu}.",
    ),
    MessageKind.CHANGE: (
        "Changement : {titre}",
        "Bonjour {nom},\n\n« {titre} » change : {seance}, {lieu}. Le rendez-vous mis à jour "
        "est joint à ce message.",
    ),
    MessageKind.CANCELLATION: (
        "Annulation : {titre}",
        "Bonjour {nom},\n\nNous sommes désolés : « {titre} » ({seance}) est annulé.",
    ),
    MessageKind.SATISFACTION: (
        "Votre avis sur : {titre}",
        "Bonjour {nom},\n\nMerci d'avoir participé à « {titre} ». Donnez-nous votre avis en "
        "une minute par le lien ci-dessous.",
    ),
}
WITH_CALENDAR = {
    MessageKind.CONFIRMATION,
    MessageKind.PROMOTION,
    MessageKind.REMINDER,
    MessageKind.CHANGE,
    MessageKind.CANCELLATION,
}


def base_url():
    return site_url()


class _Safe(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def wording(structure, event_type, kind):
    template = MessageTemplate.objects.filter(
        structure=structure, event_type=event_type, kind=kind
    ).first()
    if template is not None:
        return template.subject, template.body
    return DEFAULTS[kind]


def render(registration, kind, *, reminder=False):
    session = registration.session
    event = session.event
    subject, body = wording(event.structure, event.event_type, kind)
    values = _Safe(
        titre=event.title,
        seance=session.long_label(),
        lieu=event.place_label() + (f", salle {session.room}" if session.room else ""),
        structure=str(event.structure),
        nom=registration.participant_name(),
    )
    subject = subject.format_map(values)
    if reminder:
        subject = f"Relance — {subject}"
    link = links.personal_url(registration, base_url())
    body = (
        body.format_map(values)
        + f"\n\nVotre inscription (confirmer, annuler, donner votre avis) : {link}\n\n"
        f"Pour ne plus recevoir de messages de {event.structure} sur ses événements, ouvrez ce "
        f"lien et choisissez « Ne plus recevoir de messages ».\n"
    )
    return subject, body


def send(registration_id, kind, *, reminder=False):
    """Sends one message; whether it was sent (never to a recipient who opted out)."""
    registration = (
        Registration.objects.select_related(
            "session__event__structure", "person", "contact__establishment"
        )
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.email_opt_out:
        return False
    address = registration.participant_email()
    if not address:
        return False
    subject, body = render(registration, kind, reminder=reminder)
    message = EmailMessage(subject, body, to=[address])
    if kind in WITH_CALENDAR:
        message.attach(
            "evenement.ics",
            ics.calendar(
                [registration.session],
                name=registration.session.event.title,
                cancelled=kind == MessageKind.CANCELLATION,
            ),
            "text/calendar",
        )
    message.send()
    return True


def claim_day_before(now=None):
    """Marks and returns the registrations to remind of a session starting within 24 hours
    (a conditional update per session: never twice)."""
    now = now or timezone.now()
    ids = []
    sessions = Session.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
        reminder_sent_at__isnull=True,
        cancelled_at__isnull=True,
    )
    for session in sessions:
        with transaction.atomic():
            claimed = Session.objects.filter(pk=session.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            rows = Registration.objects.filter(
                session=session, status__in=SEAT_STATUSES, reminder_sent_at__isnull=True
            )
            ids.extend(rows.values_list("pk", flat=True))
            rows.update(reminder_sent_at=now)
    return ids


# The survey goes the morning after the event's last session, from this hour (local time)…
SATISFACTION_HOUR = 9
# …and no longer for an event ended more than this many days before (a late run, a first run).
SATISFACTION_WINDOW_DAYS = 14


def events_due_for_satisfaction(now=None):
    """The events, not cancelled, whose last session ended before today (from
    ``SATISFACTION_HOUR``; before it, before yesterday) and within the window, with at least
    one present participant."""
    now = timezone.localtime(now or timezone.now())
    shifted = now - timedelta(hours=SATISFACTION_HOUR)
    cutoff = shifted.replace(hour=0, minute=0, second=0, microsecond=0)
    attended = Registration.objects.filter(status=Status.PRESENT).values("session__event_id")
    return (
        Event.objects.filter(cancelled_at__isnull=True, pk__in=attended)
        .annotate(last_end=Max("sessions__ends_at", filter=Q(sessions__cancelled_at__isnull=True)))
        .filter(
            last_end__lt=cutoff, last_end__gte=cutoff - timedelta(days=SATISFACTION_WINDOW_DAYS)
        )
    )


def participant_key(registration):
    """Who the registration is for, the same across the event's sessions."""
    if registration.person_id:
        return f"person:{registration.person_id}"
    if registration.contact_id:
        return f"contact:{registration.contact_id}"
    return f"email:{registration.email.strip().lower()}"


def claim_satisfaction(event, now=None):
    """Claims, and returns the ids of, the registrations to send the survey to: one per
    participant present at a session of ``event`` (the latest session), who has an address,
    has not opted out on any of their registrations, has not answered and was never asked. The
    unique constraint on (event, participant) is the claim: a second or concurrent run inserts
    nothing and so returns nothing."""
    now = now or timezone.now()
    rows = (
        Registration.objects.filter(session__event=event)
        .select_related("person", "contact")
        .annotate(answered=Exists(SatisfactionAnswer.objects.filter(registration=OuterRef("pk"))))
        .order_by("-session__starts_at", "-id")
    )
    chosen, refused = {}, set()
    for registration in rows:
        key = participant_key(registration)
        if registration.email_opt_out or registration.answered:
            refused.add(key)
        elif registration.status == Status.PRESENT and registration.participant_email():
            chosen.setdefault(key, registration)
    claim = uuid.uuid4()
    SatisfactionRequest.objects.bulk_create(
        [
            SatisfactionRequest(
                event=event, participant=key, registration=registration, asked_at=now, claim=claim
            )
            for key, registration in chosen.items()
            if key not in refused
        ],
        ignore_conflicts=True,
    )
    claimed = SatisfactionRequest.objects.filter(claim=claim)
    return sorted(claimed.values_list("registration_id", flat=True))
