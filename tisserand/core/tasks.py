"""Background tasks of the socle: the retention rules (``retention``), run daily."""

from django_tasks import task

from tisserand.core import retention


@task()
def apply_retention_task():
    """Runs every retention rule; ``{rule key: [notified, processed]}``."""
    return {
        outcome.rule.key: [outcome.notified, outcome.processed] for outcome in retention.apply()
    }
