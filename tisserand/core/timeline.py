"""The timeline: every module records here what happens to its objects.

An event has one subject (the object it happened to) and mentions every record whose timeline
shows it: the subject, and the records it is ``about`` (one, or several: an introduction
concerns a person, a company and an offer).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from tisserand.core.models import TimelineEvent, TimelineMention

EMPTY = "—"


def _display_value(obj, field_name):
    field = obj._meta.get_field(field_name)
    if field.choices:
        return getattr(obj, f"get_{field_name}_display")()
    value = getattr(obj, field_name)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return EMPTY if value in (None, "") else str(value)


def snapshot(obj, fields):
    """The displayed values of ``fields`` of ``obj``, to compare before and after a change."""
    return {name: _display_value(obj, name) for name in fields}


def stored(obj):
    """``obj`` as stored in the database (a model form has already changed the instance)."""
    return obj._meta.model._default_manager.get(pk=obj.pk)


def stored_snapshot(obj, fields):
    """The snapshot of ``obj`` as stored: what a service compares its change with."""
    return snapshot(stored(obj), fields)


def assign(obj, data):
    """Sets the fields of ``data`` (cleaned values, by field name) on ``obj``; returns it."""
    for name, value in data.items():
        setattr(obj, name, value)
    return obj


def diff(obj, before, after):
    """The changed fields as a list of {field, before, after}, labelled for display."""
    return [
        {
            "field": str(obj._meta.get_field(name).verbose_name),
            "before": before[name],
            "after": after[name],
        }
        for name in before
        if before[name] != after[name]
    ]


def _key(record):
    return ContentType.objects.get_for_model(record).pk, str(record.pk)


def _mentions(event, about):
    """The mentions of ``event``: its subject, then each record of ``about``, once each."""
    records = [] if about is None else [about] if isinstance(about, Model) else about
    keys = [(event.subject_type_id, event.subject_id), *map(_key, records)]
    return [
        TimelineMention(
            event=event,
            content_type_id=content_type,
            object_id=object_id,
            occurred_at=event.occurred_at,
        )
        for content_type, object_id in dict.fromkeys(keys)
    ]


def record(subject, verb, summary, *, actor=None, structure=None, changes=None, about=None):
    """Records an event on ``subject``, also shown on the timeline of each record ``about``
    names: one record (``about=person``) or several (``about=[person, company, offer]``)."""
    event = TimelineEvent(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        verb=verb,
        summary=summary,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_structure=structure,
        changes=changes or [],
    )
    return bulk_record([(event, about)])[0]


def _fitting_summary(summary):
    """The summary within its column: a long list of changed fields is cut with « … » (the
    field-level changes are kept whole beside it)."""
    limit = TimelineEvent._meta.get_field("summary").max_length
    return summary if len(summary) <= limit else summary[: limit - 1].rstrip() + "…"


def bulk_record(drafts, *, batch_size=1000):
    """Saves ``(event, about)`` pairs (an unsaved event, ``about`` as in ``record``) with
    their mentions, in two queries per batch; returns the events."""
    drafts = list(drafts)
    for event, _ in drafts:
        event.summary = _fitting_summary(event.summary)
    with transaction.atomic(savepoint=False):
        events = TimelineEvent.objects.bulk_create(
            [event for event, _ in drafts], batch_size=batch_size
        )
        TimelineMention.objects.bulk_create(
            [mention for event, about in drafts for mention in _mentions(event, about)],
            batch_size=batch_size,
        )
    return events


def record_creation(subject, *, actor=None, structure=None, summary=None, about=None):
    summary = summary or f"{subject._meta.verbose_name.capitalize()} créé(e) : {subject}"
    return record(
        subject, TimelineEvent.Verb.CREATED, summary, actor=actor, structure=structure, about=about
    )


def record_changes(
    subject, before, *, after=None, summary=None, actor=None, structure=None, about=None
):
    """Records the fields that differ from ``before`` (a snapshot); nothing if none changed.

    ``after`` is the snapshot to compare with (by default, ``subject``'s fields now, taken as
    ``before`` was); ``summary(field_labels)`` words the event (default « Modification : … »).
    """
    if after is None:
        after = snapshot(subject, before.keys())
    changes = diff(subject, before, after)
    if not changes:
        return None
    labels = ", ".join(change["field"] for change in changes)
    return record(
        subject,
        TimelineEvent.Verb.CHANGED,
        summary(labels) if summary else f"Modification : {labels}",
        actor=actor,
        structure=structure,
        changes=changes,
        about=about,
    )


def events_for(subject):
    """Events on ``subject`` itself."""
    return TimelineEvent.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    ).select_related("actor", "actor_structure")


def events_about(obj):
    """Events that mention ``obj``: on ``obj`` itself and on every object whose events say
    they concern it; newest first, in the order of the mentions' index."""
    content_type, key = _key(obj)
    return (
        TimelineEvent.objects.filter(
            mentions__content_type_id=content_type, mentions__object_id=key
        )
        .order_by("-mentions__occurred_at", "-mentions__event_id")
        .select_related("actor", "actor_structure")
    )


def repoint(old, new):
    """Moves the timeline of ``old`` onto ``new`` (a merge): its events and its mentions."""
    content_type, old_key = _key(old)
    new_key = str(new.pk)
    TimelineEvent.objects.filter(subject_type_id=content_type, subject_id=old_key).update(
        subject_id=new_key
    )
    mentions = TimelineMention.objects.filter(content_type_id=content_type)
    mentions.filter(
        object_id=old_key, event__in=mentions.filter(object_id=new_key).values("event")
    ).delete()
    mentions.filter(object_id=old_key).update(object_id=new_key)
