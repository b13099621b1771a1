"""Reminders of the 6-month follow-ups, sent by e-mail to the référent.

``manage.py send_follow_up_reminders`` (run daily by a cron or a systemd timer) e-mails the
référent of each follow-up due within ``FOLLOW_UP_REMINDER_DAYS`` days (default 14) that is
neither recorded nor already reminded, then records the reminder (``reminded_at`` and the
person's timeline). Each follow-up is reminded at most once: it is claimed with a conditional
update before the e-mail leaves. The caseload shows the same follow-ups as an alert.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tisserand.accompaniment.models import SixMonthFollowUp
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent

DEFAULT_LEAD_DAYS = 14


def lead_days():
    return getattr(settings, "FOLLOW_UP_REMINDER_DAYS", DEFAULT_LEAD_DAYS)


def due(today=None):
    today = today or timezone.localdate()
    return SixMonthFollowUp.objects.filter(
        recorded_at__isnull=True,
        reminded_at__isnull=True,
        due_on__lte=today + timedelta(days=lead_days()),
        accompaniment__referent__is_active=True,
    ).order_by("due_on", "id")


def send_due(today=None, base_url=""):
    """Sends every due reminder; returns how many were sent."""
    sent = 0
    for follow_up_id in list(due(today).values_list("pk", flat=True)):
        sent += send(follow_up_id, base_url=base_url)
    return sent


def send(follow_up_id, base_url=""):
    now = timezone.now()
    claimed = SixMonthFollowUp.objects.filter(
        pk=follow_up_id, reminded_at__isnull=True, recorded_at__isnull=True
    ).update(reminded_at=now)
    if not claimed:
        return False
    follow_up = SixMonthFollowUp.objects.select_related(
        "accompaniment__person",
        "accompaniment__referent",
        "accompaniment__programme",
        "accompaniment__structure",
    ).get(pk=follow_up_id)
    try:
        _mail(follow_up, base_url)
    except Exception:
        SixMonthFollowUp.objects.filter(pk=follow_up_id, reminded_at=now).update(reminded_at=None)
        raise
    accompaniment = follow_up.accompaniment
    timeline.record(
        follow_up,
        TimelineEvent.Verb.ACTION,
        f"Rappel du suivi à 6 mois (à faire le {follow_up.due_on:%d/%m/%Y}) envoyé à "
        f"{accompaniment.referent.get_full_name() or accompaniment.referent.email}",
        structure=accompaniment.structure,
        about=accompaniment.person,
    )
    return True


def message(follow_up, base_url=""):
    accompaniment = follow_up.accompaniment
    with translation.override("fr"):
        context = {
            "follow_up": follow_up,
            "accompaniment": accompaniment,
            "person": accompaniment.person,
            "url": base_url.rstrip("/") + _path(accompaniment),
        }
        subject = (
            f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Suivi à 6 mois à faire : "
            f"{accompaniment.person}"
        )
        body = render_to_string("accompaniment/email/follow_up_reminder.txt", context)
    return subject, body


def _path(accompaniment):
    return reverse("accompaniment:follow_up", args=[accompaniment.public_id])


def _mail(follow_up, base_url):
    subject, body = message(follow_up, base_url)
    send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=[follow_up.accompaniment.referent.email],
    )
