"""Merging two records of the same person held by one structure.

Every row that points to the duplicate is re-pointed to the surviving record, and so are the
timeline events about it; the merge is recorded on the survivor's timeline; the duplicate is
then deleted. Blank contact fields of the survivor take the duplicate's value.

Each app registers the relations it holds to persons (``register(MergeHook(...))`` in its
``registrations.py``): the model and field, and how to settle a unique clash (the survivor
already has the row the duplicate brings). A merge refuses to run while a relation to persons
has no hook, so that no app's rows are silently deleted with the duplicate.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from tisserand.core import documents, timeline
from tisserand.core.actor import Actor
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.core.registry import Registry
from tisserand.people.models import Consent, FollowUpMember, Person

# Fields copied from the duplicate when the survivor has none.
FILLED_FIELDS = ("birth_name", "email", "phone")


class MergeError(DomainError):
    """The merge cannot be done; the message is French."""


@dataclass(frozen=True)
class MergeHook:
    """A relation to persons that a merge re-points from the duplicate to the survivor."""

    model: type
    # The foreign key (or many-to-many field) of ``model`` to ``Person``.
    field: str
    # settle(survivor, duplicate): before re-pointing, resolves the rows of the duplicate that
    # would clash with the survivor's on a unique constraint. Without it, a clash makes the
    # merge impossible (``MergeError``).
    settle: Callable[[Person, Person], None] | None = None
    # after(survivor): once every relation is re-pointed, in the merge's transaction (what
    # derives data from the survivor's relations brings it up to date).
    after: Callable[[Person], None] | None = None
    order: int = 100

    @property
    def key(self):
        return relation_key(self.model, self.field)


def relation_key(model, field):
    return f"{model._meta.label}.{field}"


# Keyed by "app_label.Model.field": registering a relation again replaces its hook.
merge_hooks = Registry("Relations re-pointées par une fusion")
register = merge_hooks.register


def unregistered_relations():
    """The relations to ``Person`` that no app has registered a hook for."""
    return [
        key
        for key in (
            relation_key(relation.related_model, relation.field.name)
            for relation in Person._meta.related_objects
        )
        if key not in merge_hooks
    ]


def merge_persons(survivor: Person, duplicate: Person, *, actor: Actor) -> Person:
    """Merges ``duplicate`` into ``survivor`` (same owner structure) for ``actor``; returns
    the survivor."""
    if survivor.pk == duplicate.pk:
        raise MergeError("Choisissez deux fiches différentes.")
    if survivor.owner_structure_id != duplicate.owner_structure_id:
        raise MergeError("Seules deux fiches de la même structure peuvent être fusionnées.")
    if missing := unregistered_relations():
        raise MergeError(
            f"Fusion impossible : relations sans règle de fusion ({', '.join(missing)})."
        )
    try:
        with transaction.atomic():
            return _merge(survivor, duplicate, actor=actor)
    except IntegrityError as error:
        raise MergeError(
            "La fusion est impossible : les deux fiches ont des éléments incompatibles "
            f"({error.__class__.__name__}). Clôturez l'un des deux éléments en double, "
            "puis recommencez."
        ) from error


def _merge(survivor, duplicate, *, actor):
    before = timeline.snapshot(survivor, FILLED_FIELDS)
    _settle_clashes(survivor, duplicate)
    moved = _repoint_relations(survivor, duplicate)
    timeline.repoint(duplicate, survivor)
    moved += documents.repoint(duplicate, survivor)
    _fill_blanks(survivor, duplicate)
    _after_merge(survivor)
    label = f"{duplicate} (naissance le {duplicate.birth_date:%d/%m/%Y}, créée le "
    label += f"{timezone.localtime(duplicate.created_at):%d/%m/%Y})"
    duplicate.delete()
    changes = timeline.diff(survivor, before, timeline.snapshot(survivor, FILLED_FIELDS))
    timeline.record(
        survivor,
        TimelineEvent.Verb.ACTION,
        f"Fusion : la fiche en double {label} est fusionnée dans celle-ci "
        f"({moved} élément{'s' if moved > 1 else ''} rattaché{'s' if moved > 1 else ''}).",
        actor=actor.user,
        structure=actor.structure,
        changes=changes,
    )
    return survivor


def _settle_clashes(survivor, duplicate):
    for hook in merge_hooks:
        if hook.settle is not None:
            hook.settle(survivor, duplicate)


def _after_merge(survivor):
    for hook in merge_hooks:
        if hook.after is not None:
            hook.after(survivor)


def _repoint_relations(survivor, duplicate):
    return sum(_repoint(hook.model, hook.field, survivor, duplicate) for hook in merge_hooks)


def _repoint(model, field, survivor, duplicate):
    """Re-points the rows of ``model`` whose ``field`` designates the duplicate; their count."""
    if model._meta.get_field(field).many_to_many:
        moved = 0
        for obj in model._default_manager.filter(**{field: duplicate}):
            getattr(obj, field).add(survivor)
            getattr(obj, field).remove(duplicate)
            moved += 1
        return moved
    with transaction.atomic():
        return model._base_manager.filter(**{field: duplicate}).update(**{field: survivor})


def close_clashing_follow_up_seats(survivor, duplicate):
    """The duplicate's active seats that the survivor already has are closed, not doubled."""
    today = timezone.localdate()
    for seat in FollowUpMember.objects.filter(person=duplicate, is_active=True):
        if FollowUpMember.objects.filter(
            person=survivor, user_id=seat.user_id, structure_id=seat.structure_id, is_active=True
        ).exists():
            seat.is_active, seat.until = False, max(today, seat.since)
            seat.save(update_fields=["is_active", "until"])


def withdraw_clashing_consents(survivor, duplicate):
    """The duplicate's consents to a structure the survivor already consented to are withdrawn."""
    now = timezone.now()
    for consent in Consent.objects.filter(person=duplicate, withdrawn_at__isnull=True):
        if Consent.objects.filter(
            person=survivor, structure_id=consent.structure_id, withdrawn_at__isnull=True
        ).exists():
            consent.withdrawn_at = max(now, consent.given_at)
            consent.save(update_fields=["withdrawn_at"])


def _fill_blanks(survivor, duplicate):
    filled = [name for name in FILLED_FIELDS if not getattr(survivor, name)]
    filled = [name for name in filled if getattr(duplicate, name)]
    for name in filled:
        setattr(survivor, name, getattr(duplicate, name))
    if filled:
        survivor.save(update_fields=filled)
