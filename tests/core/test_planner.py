"""Bulk imports refresh the PostgreSQL planner's statistics of the tables they rewrite."""

import pytest
from django.db import connection

from tests.referentials.rome.packs import write_pack
from tisserand.core.planner import refresh_statistics
from tisserand.referentials.rome.importing.rome_import import import_rome
from tisserand.referentials.rome.models import Appellation, FicheSkill, Mobility

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statistics of the PostgreSQL planner"
)


def estimated_rows(model):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


@on_postgresql
def test_an_import_leaves_the_planner_knowing_what_it_wrote(
    tmp_path, django_capture_on_commit_callbacks
):
    written = (FicheSkill, Appellation, Mobility)
    with django_capture_on_commit_callbacks(execute=True):
        refresh_statistics(*written)  # the planner now believes these tables empty
    assert [estimated_rows(model) for model in written] == [0, 0, 0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_rome(write_pack(tmp_path / "pack"))
        assert [estimated_rows(model) for model in written] == [0, 0, 0]  # not before commit
    assert callbacks
    assert [estimated_rows(model) for model in written] == [
        model.objects.count() for model in written
    ]
    assert all(estimated_rows(model) > 0 for model in written)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no such statistics")
def test_nothing_to_refresh_on_sqlite(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_num_queries(0), django_capture_on_commit_callbacks() as callbacks:
        refresh_statistics(FicheSkill)
    assert not callbacks
