"""Background tasks of the referrals: the daily schedule (reminders after 7 days, expiry after
15, services to update after 180), enqueued by ``manage.py process_referrals`` (cron)."""

from django_tasks import task

from tisserand.referrals import services


@task()
def run_schedule(base_url=None):
    """Reminders, expiries and stale services, once each (idempotent); ``base_url`` is the
    site's address for the links of the e-mails."""
    reminders, expired = services.process_due(base_url=base_url)
    flagged = services.flag_stale_services()
    return {"reminders": reminders, "expired": expired, "stale": flagged}
