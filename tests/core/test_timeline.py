"""An event mentions every record whose timeline shows it: its subject and what it is about."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import StructureFactory, UserFactory
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent, TimelineMention

ACTION = TimelineEvent.Verb.ACTION


def summaries(record):
    return list(timeline.events_about(record).values_list("summary", flat=True))


def test_an_event_about_two_records_shows_on_both_timelines(structure, other_structure):
    user, elsewhere = UserFactory(), StructureFactory()
    timeline.record(structure, ACTION, "Mise en relation", about=[other_structure, user])
    timeline.record(other_structure, ACTION, "Fiche modifiée")

    assert summaries(structure) == ["Mise en relation"]
    assert summaries(other_structure) == ["Fiche modifiée", "Mise en relation"]
    assert summaries(user) == ["Mise en relation"]
    assert summaries(elsewhere) == []
    assert [event.summary for event in timeline.events_for(other_structure)] == ["Fiche modifiée"]


def test_each_record_is_mentioned_once(structure, other_structure):
    one = timeline.record(structure, ACTION, "Sur elle-même", about=structure)
    several = timeline.record(
        structure, ACTION, "Répété", about=[other_structure, structure, other_structure]
    )
    none = timeline.record_creation(structure)

    assert one.mentions.count() == 1 and none.mentions.count() == 1
    assert several.mentions.count() == 2
    assert summaries(structure) == [none.summary, "Répété", "Sur elle-même"]


def test_bulk_record_saves_events_and_their_dated_mentions_in_two_queries(
    structure, other_structure, django_assert_num_queries
):
    type_, now = ContentType.objects.get_for_model(structure), timezone.now()
    drafts = [
        (
            TimelineEvent(
                subject_type=type_,
                subject_id=str(structure.pk),
                verb=ACTION,
                summary=f"E{n}",
                occurred_at=now - timedelta(hours=n),
            ),
            other_structure if n % 2 else None,
        )
        for n in range(6)
    ]
    with django_assert_num_queries(2):
        timeline.bulk_record(drafts)
    # Newest first by the events' dates (here the reverse of their creation).
    assert summaries(structure) == ["E0", "E1", "E2", "E3", "E4", "E5"]
    assert summaries(other_structure) == ["E1", "E3", "E5"]


def test_repoint_moves_the_events_and_the_mentions_of_a_record(structure, other_structure):
    old, new = StructureFactory(), StructureFactory()
    timeline.record(old, ACTION, "Sur l'ancienne")
    timeline.record(structure, ACTION, "Sur les deux", about=[old, new])
    timeline.record(other_structure, ACTION, "Sur l'ancienne seule", about=old)

    timeline.repoint(old, new)

    assert summaries(old) == []
    assert sorted(summaries(new)) == ["Sur l'ancienne", "Sur l'ancienne seule", "Sur les deux"]
    assert [event.summary for event in timeline.events_for(new)] == ["Sur l'ancienne"]
    assert summaries(structure) == ["Sur les deux"]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([("core", target)])
    return MigrationExecutor(connection).loader.project_state([("core", target)]).apps


@pytest.mark.django_db(transaction=True)
def test_the_about_slot_moves_into_mentions_and_back():
    structure, other, user = StructureFactory(), StructureFactory(), UserFactory()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("core")[0][1]
    apps = _migrate("0002_timeline_about")
    try:
        Event, ContentType_ = (
            apps.get_model("core", "TimelineEvent"),
            apps.get_model("contenttypes", "ContentType"),
        )
        structure_type = ContentType_.objects.get(app_label="structures", model="structure")
        user_type = ContentType_.objects.get(app_label="accounts", model="user")

        def old_event(summary, about_type=None, about_id=""):
            return Event.objects.create(
                subject_type=structure_type,
                subject_id=str(structure.pk),
                about_type=about_type,
                about_id=about_id,
                verb="action",
                summary=summary,
            )

        old_event("Seule")
        old_event("Sur une autre", structure_type, str(other.pk))
        old_event("Sur elle-même", structure_type, str(structure.pk))
        old_event("Sur un utilisateur", user_type, str(user.pk))
        _migrate(latest)

        assert summaries(structure) == [
            "Sur un utilisateur",
            "Sur elle-même",
            "Sur une autre",
            "Seule",
        ]
        assert summaries(other) == ["Sur une autre"]
        assert summaries(user) == ["Sur un utilisateur"]
        assert TimelineMention.objects.count() == 6
        timeline.record(structure, ACTION, "Sur deux autres", about=[user, other])

        apps = _migrate("0002_timeline_about")
        about = apps.get_model("core", "TimelineEvent").objects.order_by("pk")
        assert list(about.values_list("about_type__model", "about_id")) == [
            (None, ""),
            ("structure", str(other.pk)),
            (None, ""),
            ("user", str(user.pk)),
            ("user", str(user.pk)),
        ]
    finally:
        _migrate(latest)


def test_a_summary_longer_than_its_column_is_cut_not_refused(structure):
    event = timeline.record(structure, TimelineEvent.Verb.ACTION, "Modifié : " + "champ, " * 80)
    event.refresh_from_db()
    limit = TimelineEvent._meta.get_field("summary").max_length
    assert len(event.summary) == limit and event.summary.endswith("…")
