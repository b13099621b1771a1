"""The timeline: every module records here what happens to its objects."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from tisserand.core.models import TimelineEvent

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


def record(subject, verb, summary, *, actor=None, structure=None, changes=None, about=None):
    """Records an event on ``subject``; ``about`` is another object it concerns (a person)."""
    return TimelineEvent.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=str(about.pk) if about is not None else "",
        verb=verb,
        summary=summary,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_structure=structure,
        changes=changes or [],
    )


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
    """Events on ``obj`` and on every object whose events say they concern ``obj``."""
    content_type = ContentType.objects.get_for_model(obj)
    key = str(obj.pk)
    return TimelineEvent.objects.filter(
        Q(subject_type=content_type, subject_id=key) | Q(about_type=content_type, about_id=key)
    ).select_related("actor", "actor_structure")
