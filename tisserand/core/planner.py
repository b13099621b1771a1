"""Keeping the database planner's statistics in step with bulk imports.

PostgreSQL plans each query from statistics that autovacuum refreshes some time after a table
changes. Right after an import rewrote a table, the planner still sees its previous contents
(an empty table, or a tiny one): it may pick a plan thousands of times slower. Seen: the
fiche page's skills query running for minutes after the ROME pack was reloaded into a table
last analysed with a few rows. Imports therefore refresh the statistics of what they wrote.
SQLite plans without such statistics: nothing to do there.
"""

from django.db import connection


def refresh_statistics(*models):
    """``ANALYZE`` the tables of ``models`` on PostgreSQL (a sample: tens of milliseconds)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
