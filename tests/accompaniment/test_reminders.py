"""Reminders of the 6-month follow-ups: sent once to the référent, recorded, and the command."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tisserand.accompaniment import reminders, services
from tisserand.core.timeline import events_about

TODAY = timezone.localdate()


def exit_ago(accompaniment, actor, days):
    return services.record_exit(
        accompaniment, exit_date=TODAY - timedelta(days=days), exit_type="job_seeker", actor=actor
    )


def test_a_due_follow_up_is_reminded_once(accompaniment, actor, referent):
    follow_up = exit_ago(accompaniment, actor, 175)  # due in about 8 days
    assert reminders.send_due(base_url="https://tisserand.example.org/") == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [referent.user.email]
    assert "Suivi à 6 mois à faire : Amina BENALI" in message.subject
    assert (
        f"https://tisserand.example.org/accompagnement/{accompaniment.public_id}/suivi-6-mois/"
        in (message.body)
    )
    follow_up.refresh_from_db()
    assert follow_up.reminded_at is not None
    assert "Rappel du suivi à 6 mois" in events_about(accompaniment.person).first().summary
    assert reminders.send_due() == 0
    assert len(mail.outbox) == 1


def test_follow_ups_not_yet_due_or_recorded_are_not_reminded(accompaniment, actor):
    follow_up = exit_ago(accompaniment, actor, 160)
    assert reminders.send_due() == 0
    follow_up.due_on = TODAY
    follow_up.save()
    services.record_follow_up(follow_up, contacted_on=TODAY, situation="inactive", actor=actor)
    assert reminders.send_due() == 0
    assert mail.outbox == []


def test_command(accompaniment, actor):
    exit_ago(accompaniment, actor, 200)
    out = StringIO()
    call_command("send_follow_up_reminders", stdout=out)
    assert "1 rappel(s)" in out.getvalue()
    assert len(mail.outbox) == 1
