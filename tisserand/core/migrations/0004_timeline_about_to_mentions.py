"""Every event mentions its subject, and the record its ``about`` slot named (when another)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def about_to_mentions(apps, schema_editor):
    Event = apps.get_model("core", "TimelineEvent")
    Mention = apps.get_model("core", "TimelineMention")
    quote = schema_editor.quote_name
    columns = ", ".join(
        quote(Mention._meta.get_field(name).column) for name in ("event", "content_type", "object_id")
    )
    insert = f"INSERT INTO {quote(Mention._meta.db_table)} ({columns}) SELECT id, "
    events = quote(Event._meta.db_table)
    schema_editor.execute(f"{insert} subject_type_id, subject_id FROM {events}")
    schema_editor.execute(
        f"{insert} about_type_id, about_id FROM {events} WHERE about_type_id IS NOT NULL "
        "AND NOT (about_type_id = subject_type_id AND about_id = subject_id)"
    )


def mentions_to_about(apps, schema_editor):
    """Back to one slot: the first record mentioned besides the subject (others are lost)."""
    Event = apps.get_model("core", "TimelineEvent")
    Mention = apps.get_model("core", "TimelineMention")
    others = (
        Mention.objects.filter(event=OuterRef("pk"))
        .exclude(content_type=OuterRef("subject_type"), object_id=OuterRef("subject_id"))
        .order_by("pk")
    )
    Event.objects.update(
        about_type=Subquery(others.values("content_type")[:1]),
        about_id=Coalesce(Subquery(others.values("object_id")[:1]), Value("")),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_timelinemention'),
    ]

    operations = [
        migrations.RunPython(about_to_mentions, mentions_to_about),
    ]
