"""Background tasks of the reporting: the monthly report, one task per recipient."""

from django_tasks import task

from tisserand.reporting import monthly


@task()
def send_monthly_report(membership_id, year, month):
    return monthly.send(membership_id, year, month)


def enqueue_monthly_reports(year, month):
    """Enqueues the report of the month to every director and funder; the sending itself is
    idempotent (a recipient already served is skipped). Returns how many were enqueued."""
    ids = list(monthly.recipients().values_list("pk", flat=True))
    for membership_id in ids:
        send_monthly_report.enqueue(membership_id, year, month)
    return len(ids)
