"""Background tasks: one saved search's daily digest (``alerts.send_digest``)."""

from django_tasks import task

from tisserand.opportunities import alerts


@task()
def send_offer_alert(search_id, base_url=""):
    return alerts.send_digest(search_id, base_url)


def enqueue_alerts(base_url=""):
    ids = list(alerts.due_searches())
    for search_id in ids:
        send_offer_alert.enqueue(search_id, base_url)
    return len(ids)
