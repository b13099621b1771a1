"""Every event mentions its subject, and the record its ``about`` slot named (when another)."""

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def about_to_mentions(apps, schema_editor):
    Event = apps.get_model("core", "TimelineEvent")
    Mention = apps.get_model("core", "TimelineMention")
    quote = schema_editor.quote_name
    columns = ", ".join(
        quote(Mention._meta.get_field(name).column)
        for name in ("event", "content_type", "object_id", "occurred_at")
    )
    mentions, events = quote(Mention._meta.db_table), quote(Event._meta.db_table)
    insert = f"INSERT INTO {mentions} ({columns}) SELECT id, "
    schema_editor.execute(f"{insert} subject_type_id, subject_id, occurred_at FROM {events}")
    schema_editor.execute(
        f"{insert} about_type_id, about_id, occurred_at FROM {events} "
        "WHERE about_type_id IS NOT NULL "
        "AND NOT (about_type_id = subject_type_id AND about_id = subject_id)"
    )
    if schema_editor.connection.vendor == "postgresql":
        # The planner's statistics of the new table (its rows are this transaction's own).
        schema_editor.execute(f"ANALYZE {mentions}")


def mentions_to_about(apps, schema_editor):
    """Back to one slot: the first record mentioned besides the subject (others are lost).

    The mentions are dropped right after, so they are thinned out first: without the subject's,
    and only the first of an event's, each event has at most one left to copy."""
    Event = apps.get_model("core", "TimelineEvent")
    Mention = apps.get_model("core", "TimelineMention")
    Mention.objects.filter(
        content_type=F("event__subject_type"), object_id=F("event__subject_id")
    ).delete()
    Mention.objects.filter(
        Exists(Mention.objects.filter(event=OuterRef("event"), pk__lt=OuterRef("pk")))
    ).delete()
    about = Mention.objects.filter(event=OuterRef("pk"))
    Event.objects.update(
        about_type=Subquery(about.values("content_type")),
        about_id=Coalesce(Subquery(about.values("object_id")), Value("")),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_timelinemention'),
    ]

    operations = [
        migrations.RunPython(about_to_mentions, mentions_to_about),
    ]
