"""The "Rendez-vous" section of the person page (a bounded number of queries)."""

from django.db.models import Count, Max, Q
from django.utils import timezone

from tisserand.appointments import perms
from tisserand.appointments.models import Appointment, Attendance

SHOWN = 5


def visible(record):
    return perms.can_view_appointments(record.membership, record.record, record.access)


def context(record):
    person = record.record
    now = timezone.now()
    appointments = Appointment.objects.filter(person=person).select_related("counsellor")
    upcoming = Q(starts_at__gte=now, cancelled_at__isnull=True)
    figures = appointments.aggregate(
        upcoming=Count("pk", filter=upcoming),
        present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
        missed=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
        last_contact=Max("starts_at", filter=Q(attendance=Attendance.PRESENT)),
    )
    last_contact = figures.pop("last_contact")
    return {
        "upcoming": list(appointments.filter(upcoming).order_by("starts_at", "id")[:SHOWN]),
        "recent": list(
            appointments.filter(starts_at__lt=now).order_by("-starts_at", "-id")[:SHOWN]
        ),
        "counts": figures,
        "last_contact": timezone.localdate(last_contact) if last_contact else None,
        "can_book": perms.can_book(record.membership, person, record.access),
    }
