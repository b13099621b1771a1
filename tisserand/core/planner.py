"""Keeping the database planner's statistics in step with bulk imports.

PostgreSQL plans each query from statistics (``pg_class.reltuples``, ``pg_statistic``) that
autovacuum refreshes some time after a table changes. An import that rewrites a large table
in one transaction can leave them wrong: an analysis that ran while the new rows were not yet
committed records a table of pages holding no row, and the planner, believing it empty,
joins it by nested sequential scans. Seen: the fiche page's skills query (33,000 skills ×
90,000 links) running for minutes after the ROME pack was reloaded. Imports therefore analyse
what they wrote once their transaction has committed, when every row is visible.
SQLite plans without such statistics: nothing to do there.
"""

from functools import partial

from django.db import connection, transaction


def refresh_statistics(*models):
    """``ANALYZE`` the tables of ``models`` on PostgreSQL once the current transaction commits
    (at once outside a transaction); a sample, tens of milliseconds per table."""
    if connection.vendor == "postgresql":
        transaction.on_commit(partial(_analyze, models))


def _analyze(models):
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
