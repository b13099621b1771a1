"""The accompaniment's panels on the person page: accompaniments, diagnosis, project, plan,
exits. They share one ``PersonAccompaniments`` per request and person, so that the page makes
a fixed number of queries whatever the person's history."""

from functools import cached_property

from django.db.models import Case, IntegerField, Prefetch, Value, When

from tisserand.accompaniment import perms, services
from tisserand.accompaniment.models import (
    Accompaniment,
    EsfRecord,
    PlanAction,
    ProfessionalProject,
    Status,
)
from tisserand.people.panels import PersonPanel, register
from tisserand.referentials.vocabularies import api as vocabularies

CACHE_ATTRIBUTE = "_accompaniment_panels"
PERSON_CACHE_ATTRIBUTE = "_accompaniment_panel_facts"


def _cached_on(person, key, compute):
    """A fact about ``person`` computed once per page: the person page loads its own
    ``Person`` instance for each request, and the five panels ask the same questions."""
    facts = person.__dict__.setdefault(PERSON_CACHE_ATTRIBUTE, {})
    if key not in facts:
        facts[key] = compute()
    return facts[key]


def _access(membership, person):
    key = ("access", membership.pk if membership is not None else None)
    return _cached_on(person, key, lambda: perms.access_to(membership, person))


class PersonAccompaniments:
    """What the panels show of one person, loaded lazily, each part in one or two queries."""

    def __init__(self, request, person):
        self.request, self.person = request, person

    @classmethod
    def of(cls, request, person):
        cache = request.__dict__.setdefault(CACHE_ATTRIBUTE, {})
        if person.pk not in cache:
            cache[person.pk] = cls(request, person)
        return cache[person.pk]

    @cached_property
    def access(self):
        return _access(self.request.membership, self.person)

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
        return [a for a in self.accompaniments if not a.is_open]

    def esf_records(self):
        if not perms.can_view_esf_data(self.request.membership, self.person, self.access):
            return None
        return list(
            EsfRecord.objects.filter(accompaniment__person=self.person).select_related(
                "accompaniment__programme"
            )
        )


def _data(request, person):
    return PersonAccompaniments.of(request, person)


def _base(request, person):
    data = _data(request, person)
    return {"data": data, "current": data.current, "labels": data.labels}


def accompaniments_context(request, person):
    data = _data(request, person)
    membership = request.membership
    return {
        **_base(request, person),
        "accompaniments": data.accompaniments,
        "can_open": perms.can_open_accompaniment(membership, person, data.access),
    }


def diagnosis_context(request, person):
    return {**_base(request, person), "diagnosis": _data(request, person).diagnosis()}


def project_context(request, person):
    return {**_base(request, person), "project": _data(request, person).project()}


def plan_context(request, person):
    return {**_base(request, person), "objectives": _data(request, person).objectives()}


def exits_context(request, person):
    data = _data(request, person)
    return {**_base(request, person), "exits": data.exits(), "esf_records": data.esf_records()}


def _sees_accompaniments(membership, person):
    return perms.can_view_accompaniments(membership, person, _access(membership, person))


def _sees_exits(membership, person):
    return perms.can_view_exits(membership, person, _access(membership, person))


def _sees_current(membership, person):
    """Diagnosis, project and plan: shown once the person has an accompaniment."""
    return _sees_accompaniments(membership, person) and _cached_on(
        person, "has_accompaniment", Accompaniment.objects.filter(person=person).exists
    )


def register_panels():
    register(
        PersonPanel(
            "accompaniments",
            "Accompagnements",
            "accompaniment/panels/accompaniments.html",
            accompaniments_context,
            _sees_accompaniments,
            order=10,
        )
    )
    register(
        PersonPanel(
            "diagnosis",
            "Diagnostic des freins",
            "accompaniment/panels/diagnosis.html",
            diagnosis_context,
            _sees_current,
            order=11,
        )
    )
    register(
        PersonPanel(
            "project",
            "Projet professionnel",
            "accompaniment/panels/project.html",
            project_context,
            _sees_current,
            order=12,
        )
    )
    register(
        PersonPanel(
            "plan",
            "Plan d'action",
            "accompaniment/panels/plan.html",
            plan_context,
            _sees_current,
            order=13,
        )
    )
    register(
        PersonPanel(
            "exits",
            "Sorties et suivi à 6 mois",
            "accompaniment/panels/exits.html",
            exits_context,
            _sees_exits,
            order=14,
        )
    )
