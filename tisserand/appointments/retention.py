"""What the appointments app tells the retention rules: an appointment to come keeps the
person's record; the send log of reminders (e-mail and SMS) goes 12 months after the
appointment; anonymising a person erases the cancellation reasons of their appointments."""

from django.db.models import Q
from django.utils import timezone

from tisserand.appointments.models import Appointment
from tisserand.core import retention
from tisserand.people import retention as people_retention

SEND_LOG_MONTHS = 12


def appointments_to_come(persons):
    return Appointment.objects.filter(
        person__in=persons, cancelled_at__isnull=True, starts_at__gte=timezone.now()
    ).values("person_id")


def erase(person_ids):
    Appointment.objects.filter(person_id__in=person_ids).update(cancellation_reason="")


def send_log_due(today):
    old = Appointment.objects.filter(
        starts_at__lt=retention.cutoff(today, months=SEND_LOG_MONTHS)
    ).filter(Q(reminder_sent_at__isnull=False) | Q(sms_reminder_sent_at__isnull=False))
    return retention.without_holds(old)


def forget_send_log(rows, today):
    return rows.update(reminder_sent_at=None, sms_reminder_sent_at=None)


def register_all():
    people_retention.blockers.register(
        people_retention.Blocker(
            "appointments.to_come",
            blocked=appointments_to_come,
            label="un rendez-vous est à venir",
        )
    )
    people_retention.erasers.register(people_retention.Eraser("appointments.cancellations", erase))
    retention.register(
        retention.RetentionRule(
            key="appointments.send_log",
            data="Trace de l'envoi des rappels de rendez-vous (e-mail et SMS)",
            duration=f"{SEND_LOG_MONTHS} mois",
            starts_from="du rendez-vous",
            legal_ground=(
                "Minimisation (RGPD, art. 5.1.c et e) : la trace ne sert qu'à ne pas envoyer "
                "deux fois un rappel"
            ),
            action="effacement de la date d'envoi",
            due=send_log_due,
            process=forget_send_log,
            describe=lambda row: f"rendez-vous du {timezone.localtime(row.starts_at):%d/%m/%Y}",
            order=800,
        )
    )
