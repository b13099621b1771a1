"""Merging two records of the same person held by one structure.

Every row that points to the duplicate is re-pointed to the surviving record — relations are
discovered through ``Person._meta.related_objects``, so the modules added later are covered —
and so are the timeline events about it; the merge is recorded on the survivor's timeline;
the duplicate is then deleted. Blank contact fields of the survivor take the duplicate's value.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from tisserand.core import documents, timeline
from tisserand.core.errors import DomainError
from tisserand.core.models import TimelineEvent
from tisserand.people.models import Consent, FollowUpMember, Person

# Fields copied from the duplicate when the survivor has none.
FILLED_FIELDS = ("birth_name", "email", "phone")


class MergeError(DomainError):
    """The merge cannot be done; the message is French."""


def merge_persons(survivor, duplicate, *, actor, structure):
    """Merges ``duplicate`` into ``survivor`` (same owner structure); returns the survivor."""
    if survivor.pk == duplicate.pk:
        raise MergeError("Choisissez deux fiches différentes.")
    if survivor.owner_structure_id != duplicate.owner_structure_id:
        raise MergeError("Seules deux fiches de la même structure peuvent être fusionnées.")
    try:
        with transaction.atomic():
            return _merge(survivor, duplicate, actor=actor, structure=structure)
    except IntegrityError as error:
        raise MergeError(
            "La fusion est impossible : les deux fiches ont des éléments incompatibles "
            f"({error.__class__.__name__}). Clôturez l'un des deux éléments en double, "
            "puis recommencez."
        ) from error


def _merge(survivor, duplicate, *, actor, structure):
    before = timeline.snapshot(survivor, FILLED_FIELDS)
    _settle_own_conflicts(survivor, duplicate)
    moved = _repoint_relations(survivor, duplicate)
    _repoint_timeline(survivor, duplicate)
    moved += documents.repoint(duplicate, survivor)
    _fill_blanks(survivor, duplicate)
    label = f"{duplicate} (naissance le {duplicate.birth_date:%d/%m/%Y}, créée le "
    label += f"{timezone.localtime(duplicate.created_at):%d/%m/%Y})"
    duplicate.delete()
    changes = timeline.diff(survivor, before, timeline.snapshot(survivor, FILLED_FIELDS))
    timeline.record(
        survivor,
        TimelineEvent.Verb.ACTION,
        f"Fusion : la fiche en double {label} est fusionnée dans celle-ci "
        f"({moved} élément{'s' if moved > 1 else ''} rattaché{'s' if moved > 1 else ''}).",
        actor=actor,
        structure=structure,
        changes=changes,
    )
    return survivor


def _settle_own_conflicts(survivor, duplicate):
    """Closes the duplicate's follow-up seats and consents that the survivor already has."""
    today, now = timezone.localdate(), timezone.now()
    for seat in FollowUpMember.objects.filter(person=duplicate, is_active=True):
        if FollowUpMember.objects.filter(
            person=survivor, user_id=seat.user_id, structure_id=seat.structure_id, is_active=True
        ).exists():
            seat.is_active, seat.until = False, max(today, seat.since)
            seat.save(update_fields=["is_active", "until"])
    for consent in Consent.objects.filter(person=duplicate, withdrawn_at__isnull=True):
        if Consent.objects.filter(
            person=survivor, structure_id=consent.structure_id, withdrawn_at__isnull=True
        ).exists():
            consent.withdrawn_at = max(now, consent.given_at)
            consent.save(update_fields=["withdrawn_at"])


def _repoint_relations(survivor, duplicate):
    moved = 0
    for relation in Person._meta.related_objects:
        model, field = relation.related_model, relation.field
        if relation.many_to_many:
            for obj in model._default_manager.filter(**{field.name: duplicate}):
                getattr(obj, field.name).add(survivor)
                getattr(obj, field.name).remove(duplicate)
                moved += 1
            continue
        with transaction.atomic():
            moved += model._base_manager.filter(**{field.name: duplicate}).update(
                **{field.name: survivor}
            )
    return moved


def _repoint_timeline(survivor, duplicate):
    person_type = ContentType.objects.get_for_model(Person)
    old, new = str(duplicate.pk), str(survivor.pk)
    events = TimelineEvent.objects
    events.filter(subject_type=person_type, subject_id=old).update(subject_id=new)
    events.filter(about_type=person_type, about_id=old).update(about_id=new)


def _fill_blanks(survivor, duplicate):
    filled = [name for name in FILLED_FIELDS if not getattr(survivor, name)]
    filled = [name for name in filled if getattr(duplicate, name)]
    for name in filled:
        setattr(survivor, name, getattr(duplicate, name))
    if filled:
        survivor.save(update_fields=filled)
