"""Operations on appointments: book, move, cancel, record attendance; last contacts.

Every change is recorded on the appointment's timeline with ``about=person``, so that the
person's page shows it. Rules on time (``now`` may be given, for tests and back-dating):

- an appointment may be booked in the past (entering yesterday's interview is normal) or in
  the future, within ``BOOKING_RANGE`` of today;
- attendance (present, excused, absent) is recorded only once the appointment has started;
- a cancelled appointment is not attended and cannot be changed any more.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from tisserand.appointments import conflicts
from tisserand.appointments.models import (
    RECORDED_ATTENDANCES,
    Appointment,
    Attendance,
)
from tisserand.core import timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.people.hooks import PlannedAppointment
from tisserand.people.models import CARING_ROLES, FollowUpMember
from tisserand.structures.models import Membership

BOOKING_RANGE = timedelta(days=366)


class AppointmentError(DomainError):
    """A rule of appointments forbids the change; the message is for the user (French)."""


class UnconfirmedConflict(AppointmentError):
    """The appointment clashes with another or falls at unusual hours, and nobody confirmed."""


def _require_confirmation(appointment, confirmed):
    if confirmed:
        return
    warnings = conflicts.warnings_for(conflicts.Slot.of(appointment))
    if warnings:
        raise UnconfirmedConflict(
            "Ce rendez-vous demande votre confirmation : " + " ".join(warnings)
        )


# --- Rules --------------------------------------------------------------------------------


def booking_date_error(starts_at, now=None):
    """The French error for a start outside the allowed range, or None."""
    now = now or timezone.now()
    if starts_at < now - BOOKING_RANGE:
        return "La date ne peut pas remonter à plus d'un an."
    if starts_at > now + BOOKING_RANGE:
        return "La date ne peut pas être à plus d'un an."
    return None


ATTENDANCE_BEFORE_START = (
    "La présence ne peut être saisie qu'une fois le rendez-vous commencé "
    "(rendez-vous passé ou en cours)."
)


def attendance_error(appointment, attendance, now=None):
    """The French error for recording ``attendance`` on ``appointment``, or None."""
    if attendance not in RECORDED_ATTENDANCES:
        return "Choisissez : présent, absent excusé ou absent."
    if appointment.is_cancelled:
        return "Ce rendez-vous est annulé : sa présence ne peut pas être saisie."
    if not appointment.has_started(now):
        return ATTENDANCE_BEFORE_START
    return None


def counsellors_for(person, structure, *always):
    """Who may hold an appointment with ``person`` for ``structure``: the active référent and
    team members of that structure (still active members of it), and the users ``always``
    (the acting user, the current counsellor)."""
    team = FollowUpMember.objects.filter(
        person=person, structure=structure, is_active=True, role__in=CARING_ROLES
    ).values("user_id")
    members = Membership.objects.filter(structure=structure, is_active=True).values("user_id")
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=team, is_active=True) & Q(pk__in=members)
            | Q(pk__in=[user.pk for user in always])
        )
        .order_by("last_name", "first_name")
    )


# --- Changes ------------------------------------------------------------------------------


def _summary_of(appointment):
    counsellor = appointment.counsellor.get_full_name() or appointment.counsellor.email
    return (
        f"Rendez-vous le {appointment.local_label()} avec {counsellor} "
        f"({appointment.get_mode_display().lower()}) : {appointment.subject}"
    )


@transaction.atomic
def book(appointment, *, actor, now=None, confirmed=False):
    """Saves a new appointment (built by the booking form) and records it.

    When the booking enters an appointment already held (attendance given), the attendance is
    recorded with it. An appointment that clashes (``conflicts``) is booked only ``confirmed``.
    """
    now = now or timezone.now()
    error = booking_date_error(appointment.starts_at, now)
    if error:
        raise AppointmentError(error)
    _require_confirmation(appointment, confirmed)
    if appointment.attendance != Attendance.PLANNED:
        error = attendance_error(appointment, appointment.attendance, now)
        if error:
            raise AppointmentError(error)
        appointment.attendance_recorded_at = now
    appointment.created_by = actor.user
    appointment.save()
    timeline.record_creation(
        appointment,
        actor=actor.user,
        structure=appointment.structure,
        summary=_summary_of(appointment),
        about=appointment.person,
    )
    if appointment.attendance != Attendance.PLANNED:
        _record_attendance_event(appointment, actor)
    return appointment


@transaction.atomic
def update(appointment, *, data, actor, now=None, confirmed=False):
    """Changes the appointment to ``data`` (cleaned fields); records what changed from the
    stored appointment. A change that makes it clash is saved only ``confirmed``."""
    now = now or timezone.now()
    stored = timeline.stored(appointment)
    before = timeline.snapshot(stored, Appointment.TRACKED_FIELDS)
    timeline.assign(appointment, data)
    if appointment.is_cancelled:
        raise AppointmentError("Ce rendez-vous est annulé : il ne peut plus être modifié.")
    error = booking_date_error(appointment.starts_at, now)
    if error:
        raise AppointmentError(error)
    if appointment.attendance != Attendance.PLANNED and not appointment.has_started(now):
        raise AppointmentError(
            "La présence de ce rendez-vous est déjà saisie : il ne peut pas être déplacé "
            "dans le futur."
        )
    if conflicts.moved(stored, conflicts.Slot.of(appointment)):
        _require_confirmation(appointment, confirmed)
    if stored.starts_at != appointment.starts_at:
        # The reminder announced the former date: the new date gets its own reminder.
        appointment.reminder_sent_at = None
        appointment.sms_reminder_sent_at = None
    appointment.save()
    timeline.record_changes(
        appointment,
        before,
        actor=actor.user,
        structure=appointment.structure,
        about=appointment.person,
    )
    return appointment


@transaction.atomic
def cancel(appointment, *, reason="", actor, now=None):
    now = now or timezone.now()
    if appointment.is_cancelled:
        raise AppointmentError("Ce rendez-vous est déjà annulé.")
    if appointment.attendance != Attendance.PLANNED:
        raise AppointmentError(
            "La présence de ce rendez-vous est saisie : il a eu lieu et ne peut plus être annulé."
        )
    appointment.cancelled_at = now
    appointment.cancellation_reason = reason.strip()
    appointment.save(update_fields=["cancelled_at", "cancellation_reason", "updated_at"])
    summary = f"Rendez-vous du {appointment.local_label()} annulé"
    if appointment.cancellation_reason:
        summary += f" : {appointment.cancellation_reason}"
    timeline.record(
        appointment,
        TimelineEvent.Verb.STATUS_CHANGED,
        summary[:300],
        actor=actor.user,
        structure=appointment.structure,
        about=appointment.person,
    )
    return appointment


def _to_come(person, structure, now):
    return (
        Appointment.objects.not_cancelled()
        .filter(
            person=person,
            structure=structure,
            attendance=Attendance.PLANNED,
            starts_at__gt=now or timezone.now(),
        )
        .select_related("counsellor")
        .order_by("starts_at", "id")
    )


def future_appointments(person, structure, now=None):
    """The person's appointments to come with ``structure`` (hook ``future_appointments``)."""
    return [
        PlannedAppointment(
            public_id=appointment.public_id,
            starts_at=appointment.starts_at,
            label=f"{appointment.long_label()} avec "
            f"{appointment.counsellor.get_full_name() or appointment.counsellor.email} : "
            f"{appointment.subject}",
        )
        for appointment in _to_come(person, structure, now)
    ]


@transaction.atomic
def cancel_appointments(person, structure, public_ids, *, actor, reason, now=None):
    """Cancels the appointments to come of ``public_ids`` (hook ``cancel_appointments``): their
    reminders are then never sent. Returns how many."""
    to_cancel = list(_to_come(person, structure, now).filter(public_id__in=list(public_ids)))
    for appointment in to_cancel:
        cancel(appointment, reason=reason, actor=actor, now=now)
    return len(to_cancel)


@transaction.atomic
def record_attendance(appointment, attendance, *, actor, now=None):
    now = now or timezone.now()
    error = attendance_error(appointment, attendance, now)
    if error:
        raise AppointmentError(error)
    if appointment.attendance == attendance:
        return appointment
    before = appointment.get_attendance_display()
    appointment.attendance = attendance
    appointment.attendance_recorded_at = now
    appointment.save(update_fields=["attendance", "attendance_recorded_at", "updated_at"])
    _record_attendance_event(appointment, actor, before=before)
    return appointment


def _record_attendance_event(appointment, actor, before=None):
    changes = None
    if before is not None:
        changes = [
            {
                "field": "présence",
                "before": before,
                "after": appointment.get_attendance_display(),
            }
        ]
    timeline.record(
        appointment,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"Présence au rendez-vous du {appointment.local_label()} : "
        f"{appointment.get_attendance_display().lower()}",
        actor=actor.user,
        structure=appointment.structure,
        changes=changes,
        about=appointment.person,
    )


# --- Reading ------------------------------------------------------------------------------


def _contacts():
    # A cancelled appointment has no attendance (a database constraint): "present" is enough,
    # and the (person, attendance, starts_at) index answers alone.
    return Appointment.objects.filter(attendance=Attendance.PRESENT)


def last_contact_dates(person_ids):
    """``{person_id: date}`` of each person's last appointment attended ("présent").

    ``person_ids`` is an iterable of ids or a queryset of ids (then used as a subquery). One
    query; persons without such an appointment are absent from the result.
    """
    rows = (
        _contacts()
        .filter(person_id__in=person_ids)
        .values("person_id")
        .annotate(last=Max("starts_at"))
        .order_by()
        .values_list("person_id", "last")
    )
    return {person_id: timezone.localdate(last) for person_id, last in rows}


def last_contact_subquery(person_ref="pk"):
    """The start of the last attended appointment, as a subquery to annotate persons with
    (``Person.objects.annotate(last_contact_at=last_contact_subquery())``): lets the caseload
    filter and sort on it in the database."""
    return Subquery(
        _contacts()
        .filter(person_id=OuterRef(person_ref))
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )


def next_appointment_text(person, structure):
    """The person's next appointment with ``structure`` in French, or "" (a people hook)."""
    upcoming = (
        Appointment.objects.not_cancelled()
        .filter(person=person, structure=structure, starts_at__gte=timezone.now())
        .select_related("counsellor")
        .order_by("starts_at")
        .first()
    )
    if upcoming is None:
        return ""
    when = timezone.localtime(upcoming.starts_at)
    counsellor = upcoming.counsellor.get_full_name() or upcoming.counsellor.email
    place = f", {upcoming.place}" if upcoming.place else ""
    return (
        f"le {when:%d/%m/%Y} à {when:%H:%M} avec {counsellor} "
        f"({upcoming.get_mode_display().lower()}{place}) : {upcoming.subject}"
    )
