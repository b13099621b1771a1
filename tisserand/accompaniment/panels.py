"""The accompaniment's sections of the person page: accompaniments, diagnosis, project, plan,
exits. They share one ``PersonAccompaniments`` through the page's ``RecordContext`` memo, so
that the page makes a fixed number of queries whatever the person's history."""

from functools import cached_property

from django.db.models import Case, IntegerField, Prefetch, Value, When, prefetch_related_objects

from tisserand.accompaniment import perms, services
from tisserand.accompaniment.models import (
    Accompaniment,
    EsfRecord,
    PlanAction,
    ProfessionalProject,
    Status,
)
from tisserand.core.records import Section, register_section
from tisserand.referentials.vocabularies import api as vocabularies

MEMO_KEY = "accompaniment"


class PersonAccompaniments:
    """What the sections show of one person, loaded lazily, each part in one or two queries."""

    def __init__(self, record):
        self.membership, self.person, self.access = record.membership, record.record, record.access

    @classmethod
    def of(cls, record):
        """The one instance the sections of this record page share."""
        return record.memo(MEMO_KEY, lambda: cls(record))

    @cached_property
    def accompaniments(self):
        """Open ones first, then the most recent."""
        open_first = Case(
            When(status=Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return list(
            Accompaniment.objects.filter(person=self.person)
            .select_related("programme", "structure", "referent", "six_month_follow_up")
            .annotate(open_first=open_first)
            .order_by("open_first", "-entry_date", "-id")
        )

    @cached_property
    def current(self):
        """The accompaniment the diagnosis, project and plan panels show."""
        return self.accompaniments[0] if self.accompaniments else None

    @cached_property
    def labels(self):
        return {
            "themes": vocabularies.labels(vocabularies.BARRIER_THEME),
            "actions": vocabularies.labels(vocabularies.ACTION_TYPE),
            "exits": vocabularies.labels(vocabularies.EXIT_TYPE),
            "contracts": vocabularies.labels(vocabularies.CONTRACT_TYPE),
        }

    def diagnosis(self):
        if self.current is None:
            return []
        current = services.current_diagnosis(self.current.barrier_assessments.all())
        themes = vocabularies.terms(vocabularies.BARRIER_THEME)
        return [(theme.label, current.get(theme.code)) for theme in themes]

    def project(self):
        if self.current is None:
            return None
        return (
            ProfessionalProject.objects.filter(accompaniment=self.current)
            .prefetch_related("target_appellations__fiche")
            .first()
        )

    def objectives(self):
        if self.current is None:
            return []
        actions = PlanAction.objects.select_related("partner_structure")
        return list(self.current.objectives.prefetch_related(Prefetch("actions", queryset=actions)))

    def exits(self):
        """The closed accompaniments with their proofs (two queries, none without an exit)."""
        exits = [a for a in self.accompaniments if not a.is_open]
        prefetch_related_objects(exits, "documents", "six_month_follow_up__documents")
        return exits

    def esf_records(self):
        if not perms.can_view_esf_data(self.membership, self.person, self.access):
            return None
        return list(
            EsfRecord.objects.filter(accompaniment__person=self.person).select_related(
                "accompaniment__programme", "accompaniment__six_month_follow_up"
            )
        )


def _base(record):
    data = PersonAccompaniments.of(record)
    return {"data": data, "current": data.current, "labels": data.labels}


def accompaniments_context(record):
    data = PersonAccompaniments.of(record)
    return {
        **_base(record),
        "accompaniments": data.accompaniments,
        "can_open": perms.can_open_accompaniment(record.membership, record.record, record.access),
    }


def diagnosis_context(record):
    return {**_base(record), "diagnosis": PersonAccompaniments.of(record).diagnosis()}


def project_context(record):
    return {**_base(record), "project": PersonAccompaniments.of(record).project()}


def plan_context(record):
    return {**_base(record), "objectives": PersonAccompaniments.of(record).objectives()}


def exits_context(record):
    data = PersonAccompaniments.of(record)
    return {**_base(record), "exits": data.exits(), "esf_records": data.esf_records()}


def _sees_accompaniments(record):
    return perms.can_view_accompaniments(record.membership, record.record, record.access)


def _sees_exits(record):
    return perms.can_view_exits(record.membership, record.record, record.access)


def _sees_current(record):
    """Diagnosis, project and plan: shown once the person has an accompaniment."""
    return _sees_accompaniments(record) and PersonAccompaniments.of(record).current is not None


SECTIONS = (
    ("accompaniments", "Accompagnements", accompaniments_context, _sees_accompaniments, 10),
    ("diagnosis", "Diagnostic des freins", diagnosis_context, _sees_current, 11),
    ("project", "Projet professionnel", project_context, _sees_current, 12),
    ("plan", "Plan d'action", plan_context, _sees_current, 13),
    ("exits", "Sorties et suivi à 6 mois", exits_context, _sees_exits, 14),
)


def register_panels():
    for key, title, context, predicate, order in SECTIONS:
        register_section(
            Section(
                kind="person",
                key=key,
                title=title,
                template_name=f"accompaniment/panels/{key}.html",
                predicate=predicate,
                context=context,
                order=order,
            )
        )
