"""Changes to the network's configurable lists: the programmes and the suggested actions.

Each change is recorded on the timeline of the row (summaries name the row, so that the
« Historique » of a list reads on its own). A programme that accompaniments use is never
deleted and keeps its code; a suggested action is a template copied into plans (plan actions
hold no link to it), so deleting one changes no plan.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, ProtectedError, Subquery, Value
from django.db.models.functions import Coalesce

from tisserand.accompaniment.models import Accompaniment, Programme, SuggestedAction
from tisserand.accompaniment.services import AccompanimentError
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.referentials.vocabularies import api as vocabularies

HISTORY_LENGTH = 15
# Fields holding a vocabulary code: the timeline shows the term's label.
VOCABULARY_FIELDS = {"theme": vocabularies.BARRIER_THEME, "action_type": vocabularies.ACTION_TYPE}
PROGRAMME_IN_USE = (
    "Des accompagnements utilisent ce programme : il ne peut pas être supprimé. "
    "Vous pouvez cesser de le proposer."
)
CODE_LOCKED = (
    "Des accompagnements utilisent ce programme : son code (présent dans les filtres de la "
    "file active) ne peut plus changer."
)
NOUNS = {Programme: "Programme", SuggestedAction: "Action suggérée"}
# Participles agreeing with each noun: (added, changed, deleted).
PARTICIPLES = {
    Programme: ("ajouté", "modifié", "supprimé"),
    SuggestedAction: ("ajoutée", "modifiée", "supprimée"),
}


def programmes_with_usage():
    """Every programme with ``accompaniment_count``, in one query."""
    counts = (
        Accompaniment.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Programme.objects.annotate(
        accompaniment_count=Coalesce(
            Subquery(counts, output_field=IntegerField()), Value(0), output_field=IntegerField()
        )
    )


def is_used(programme):
    return Accompaniment.objects.filter(programme=programme).exists()


def history(model):
    """The latest events of every row of ``model``, deleted rows included."""
    content_type = ContentType.objects.get_for_model(model)
    return TimelineEvent.objects.filter(subject_type=content_type).select_related(
        "actor", "actor_structure"
    )[:HISTORY_LENGTH]


def snapshot(item, fields):
    """``timeline.snapshot`` with the labels of vocabulary codes, to compare before and after."""
    values = timeline.snapshot(item, fields)
    for name in values.keys() & VOCABULARY_FIELDS.keys():
        values[name] = vocabularies.labels(VOCABULARY_FIELDS[name]).get(values[name], values[name])
    return values


def _summary(item, verb_index, detail=""):
    participle = PARTICIPLES[type(item)][verb_index]
    return f"{NOUNS[type(item)]} {participle} : « {item} »{detail}"


def _context(actor):
    return {"actor": actor.user, "structure": actor.structure}


@transaction.atomic
def add(item, *, actor):
    """Saves a new programme or suggested action and records its creation."""
    item.save()
    timeline.record_creation(item, summary=_summary(item, 0), **_context(actor))
    return item


@transaction.atomic
def update(item, *, data, actor):
    """Changes ``item`` to ``data`` (cleaned fields) and records what differs from the stored
    row."""
    before = snapshot(timeline.stored(item), data.keys())
    timeline.assign(item, data)
    if isinstance(item, Programme):
        _check_code_kept(item)
    item.save()
    timeline.record_changes(
        item,
        before,
        after=snapshot(item, before.keys()),
        summary=lambda fields: _summary(item, 1, f" ({fields})"),
        **_context(actor),
    )
    return item


def _check_code_kept(programme):
    stored = Programme.objects.filter(pk=programme.pk).values_list("code", flat=True).first()
    if stored != programme.code and is_used(programme):
        raise AccompanimentError(CODE_LOCKED)


def set_offered(programme, offered, *, actor):
    """Offers the programme again, or stops offering it (existing accompaniments go on)."""
    return update(programme, data={"is_active": offered}, actor=actor)


@transaction.atomic
def delete(item, *, actor):
    """Deletes an unused programme or a suggested action, and records it."""
    if isinstance(item, Programme) and is_used(item):
        raise AccompanimentError(PROGRAMME_IN_USE)
    timeline.record(item, TimelineEvent.Verb.ACTION, _summary(item, 2), **_context(actor))
    try:
        item.delete()
    except ProtectedError as error:  # an accompaniment entered it in the meantime
        raise AccompanimentError(PROGRAMME_IN_USE) from error
