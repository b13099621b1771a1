"""The facts that the dashboards count, one row per source row, derived from the live data by
the very SQL expressions of the indicators' first definitions (``indicators_accompaniment.qpv_at``
and ``age_at``), so that a dashboard scans one narrow table instead of recomputing a QPV status
and an age per row:

- ``AccompanimentFact``: the person's characteristics at entry (age, QPV status of the history
  on the entry date, gender), the exit, the 6-month follow-up;
- ``IntroductionFact``: the person's characteristics on the day of the introduction, its
  outcome and the offer's contract.

**Invariant**: every accompaniment and every introduction has exactly one fact row, equal to
what its kind's ``derive`` computes from the live data now. It is kept by construction:

- every save or deletion of a source row (an accompaniment, its 6-month follow-up, an
  introduction), of a person (its gender, birth date, QPV status, commune) or of a step of a
  person's QPV history refreshes the facts of that row or of that person **in the same
  transaction** (a write that rolls back leaves the facts as they were; see ``connect``);
- a merge of persons re-points them (a ``people.merging`` hook);
- what writes these data in bulk, without signals (the demo, the benchmarks), calls
  ``rebuild``; the nightly ``refresh_reporting_facts`` recomputes everything, corrects the rows
  that differ and says how many it corrected (``drift`` — there should be none).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.signals import post_delete, post_save

from tisserand.accompaniment.models import Accompaniment, SixMonthFollowUp
from tisserand.opportunities.models import Introduction, IntroductionStatus
from tisserand.people.models import Person, QpvStatusChange
from tisserand.reporting.indicators import quarter_key
from tisserand.reporting.indicators_accompaniment import age_at, age_band_at, qpv_at
from tisserand.reporting.models import AccompanimentFact, IntroductionFact

logger = logging.getLogger(__name__)

BATCH = 2000
# The fields whose change changes a fact (a save limited to other fields refreshes nothing).
PERSON_FIELDS = {"gender", "birth_date", "qpv_status", "qpv_valid_until", "commune", "qpv_code"}
ACCOMPANIMENT_FIELDS = {
    "person",
    "structure",
    "programme",
    "status",
    "entry_date",
    "exit_date",
    "exit_type",
}
FOLLOW_UP_FIELDS = {"accompaniment", "contacted_on", "situation", "outside_window", "recorded_at"}
FOLLOW_UP = "six_month_follow_up__"
INTRODUCTION_FIELDS = {"person", "structure", "status", "created_at", "offer"}


def derive_accompaniments(accompaniments) -> list[AccompanimentFact]:
    """The fact rows of ``accompaniments`` (a queryset), from the live data: one query."""
    rows_of_person = (
        Accompaniment.objects.filter(person_id=OuterRef("person_id"))
        .order_by()
        .values("person_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        accompaniments.annotate(
            fact_qpv=qpv_at("person", "entry_date"),
            fact_age=age_at("entry_date", "person__birth_date"),
            fact_age_band=age_band_at("entry_date", "person__birth_date"),
            fact_rows_of_person=Subquery(rows_of_person),
        )
        .order_by()
        .values(
            "pk",
            "person_id",
            "structure_id",
            "programme_id",
            "entry_date",
            "exit_date",
            "status",
            "exit_type",
            "fact_qpv",
            "fact_age",
            "fact_age_band",
            "fact_rows_of_person",
            "person__gender",
            "person__commune_id",
            "person__qpv_code",
            f"{FOLLOW_UP}contacted_on",
            f"{FOLLOW_UP}situation",
            f"{FOLLOW_UP}outside_window",
            f"{FOLLOW_UP}recorded_at",
        )
    )
    return [_accompaniment_fact(row) for row in rows]


def _accompaniment_fact(row):
    entry, exit_ = row["entry_date"], row["exit_date"]
    followed_up_on = _followed_up_on(row)
    return AccompanimentFact(
        accompaniment_id=row["pk"],
        person_id=row["person_id"],
        accompaniments_of_person=row["fact_rows_of_person"],
        structure_id=row["structure_id"],
        programme_id=row["programme_id"],
        entry_date=entry,
        entry_quarter=quarter_key(entry),
        exit_date=exit_,
        is_closed=row["status"] == "closed",
        exit_quarter=quarter_key(exit_) if exit_ else None,
        exit_type=row["exit_type"],
        days_in_accompaniment=(exit_ - entry).days if exit_ else None,
        age_at_entry=row["fact_age"],
        age_band_at_entry=row["fact_age_band"],
        qpv_at_entry=row["fact_qpv"],
        gender=row["person__gender"],
        commune_id=row["person__commune_id"],
        qpv_code=row["person__qpv_code"],
        followed_up_on=followed_up_on,
        followed_up_quarter=quarter_key(followed_up_on) if followed_up_on else None,
        follow_up_situation=(row[f"{FOLLOW_UP}situation"] or "") if followed_up_on else "",
    )


def _followed_up_on(row):
    """The follow-up's date when it counts: recorded, in its window (ESF+ rule)."""
    if row[f"{FOLLOW_UP}recorded_at"] is None or row[f"{FOLLOW_UP}outside_window"]:
        return None
    return row[f"{FOLLOW_UP}contacted_on"]


DAY = "created_at__date"


def derive_introductions(introductions) -> list[IntroductionFact]:
    """The fact rows of ``introductions`` (a queryset), from the live data: one query."""
    rows = (
        introductions.annotate(
            fact_day=F(DAY),
            fact_qpv=qpv_at("person", DAY),
            fact_age_band=age_band_at(DAY, "person__birth_date"),
        )
        .order_by()
        .values(
            "pk",
            "person_id",
            "structure_id",
            "status",
            "fact_day",
            "fact_qpv",
            "fact_age_band",
            "person__gender",
            "person__commune_id",
            "person__qpv_code",
            "offer__contract_type",
        )
    )
    return [
        IntroductionFact(
            introduction_id=row["pk"],
            person_id=row["person_id"],
            structure_id=row["structure_id"],
            made_on=row["fact_day"],
            made_quarter=quarter_key(row["fact_day"]),
            is_hired=row["status"] == IntroductionStatus.HIRED,
            qpv_on_the_day=row["fact_qpv"],
            age_band_on_the_day=row["fact_age_band"],
            gender=row["person__gender"],
            commune_id=row["person__commune_id"],
            qpv_code=row["person__qpv_code"],
            contract_type=row["offer__contract_type"] or "",
        )
        for row in rows
    ]


@dataclass(frozen=True)
class FactKind:
    """A fact table: its model, the model it derives from, how."""

    key: str
    model: Any
    source: Any
    derive: Any

    @property
    def link(self):
        """The fact's primary key: the one-to-one field to its source row."""
        return self.model._meta.pk.name

    @property
    def compared(self):
        return [
            field.attname for field in self.model._meta.concrete_fields if not field.primary_key
        ]

    def refresh(self, sources):
        """Writes again the facts of ``sources`` (a queryset of the source model)."""
        with transaction.atomic():
            self.model.objects.filter(**{f"{self.link}__in": sources.values("pk")}).delete()
            self.model.objects.bulk_create(self.derive(sources), batch_size=BATCH)

    def refresh_persons(self, ids):
        # A fact can still name a person its source row no longer has.
        self.model.objects.filter(person_id__in=ids).delete()
        self.refresh(self.source.objects.filter(person_id__in=ids))

    def rebuild(self):
        self.model.objects.all().delete()
        total = 0
        for chunk in _chunks(self.source):
            self.model.objects.bulk_create(self.derive(chunk), batch_size=BATCH)
            total += chunk.count()
        return total

    def drift(self):
        attname = self.model._meta.pk.attname
        stored = {row[attname]: row for row in self.model.objects.values(attname, *self.compared)}
        wrong = []
        for chunk in _chunks(self.source):
            for fact in self.derive(chunk):
                row = stored.pop(getattr(fact, attname), None)
                if row is None or any(row[name] != getattr(fact, name) for name in self.compared):
                    wrong.append(getattr(fact, attname))
        return sorted(wrong + list(stored))

    def correct(self, wrong):
        with transaction.atomic():
            self.model.objects.filter(pk__in=wrong).delete()
            self.refresh(self.source.objects.filter(pk__in=wrong))


ACCOMPANIMENTS = FactKind("accompaniment", AccompanimentFact, Accompaniment, derive_accompaniments)
INTRODUCTIONS = FactKind("introduction", IntroductionFact, Introduction, derive_introductions)
KINDS = (ACCOMPANIMENTS, INTRODUCTIONS)


def refresh_persons(person_ids: Iterable[int]):
    """Writes again every fact of these persons (all kinds)."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        for kind in KINDS:
            kind.refresh_persons(ids)


def rebuild():
    """Every fact written again from the live data (after a bulk write): returns how many
    accompaniments and introductions."""
    with transaction.atomic():
        total = sum(kind.rebuild() for kind in KINDS)
    _analyze()
    return total


def _analyze():
    """The planner's statistics of the tables written again (PostgreSQL would otherwise plan
    the dashboards' queries on those of the tables they replaced until autovacuum passes)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for kind in KINDS:
                cursor.execute(f"ANALYZE {kind.model._meta.db_table}")


def _chunks(model, size=20_000):
    """The rows of ``model`` by ranges of primary keys (each derived in one query)."""
    last = 0
    while True:
        keys = list(
            model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
        )
        if not keys:
            return
        yield model.objects.filter(pk__gte=keys[0], pk__lte=keys[-1])
        last = keys[-1]


def drift() -> list[tuple[str, int]]:
    """``(kind, primary key)`` of the source rows whose fact row is missing or differs from the
    live data, and of the fact rows left without their source row. Empty when the invariant
    holds."""
    return [(kind.key, pk) for kind in KINDS for pk in kind.drift()]


def correct():
    """The nightly check: the drifting rows written again; returns how many there were."""
    total = 0
    for kind in KINDS:
        wrong = kind.drift()
        if wrong:
            logger.warning(
                "Faits du pilotage (%s) : %s ligne(s) corrigée(s).", kind.key, len(wrong)
            )
            kind.correct(wrong)
        total += len(wrong)
    return total


# --- Kept in step with every write ------------------------------------------------------------


def _touches(update_fields, fields):
    if update_fields is None:
        return True
    return any(name.removesuffix("_id") in fields for name in update_fields)


def _on_person(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and _touches(update_fields, PERSON_FIELDS):
        refresh_persons([instance.pk])


def _on_accompaniment(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and _touches(update_fields, ACCOMPANIMENT_FIELDS):
        # All of the person's facts: each counts the person's accompaniments.
        with transaction.atomic():
            ACCOMPANIMENTS.refresh_persons([instance.person_id])


def _on_follow_up(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and _touches(update_fields, FOLLOW_UP_FIELDS):
        ACCOMPANIMENTS.refresh(Accompaniment.objects.filter(pk=instance.accompaniment_id))


def _on_introduction(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and _touches(update_fields, INTRODUCTION_FIELDS):
        INTRODUCTIONS.refresh(Introduction.objects.filter(pk=instance.pk))


def _on_qpv_step(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_persons([instance.person_id])


def connect():
    """Hooks the refresh to the saves and deletions of what the facts derive from."""
    for model, receiver in (
        (Person, _on_person),
        (Accompaniment, _on_accompaniment),
        (SixMonthFollowUp, _on_follow_up),
        (Introduction, _on_introduction),
        (QpvStatusChange, _on_qpv_step),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"reporting-facts-{model.__name__}")
        post_delete.connect(
            receiver, sender=model, dispatch_uid=f"reporting-facts-del-{model.__name__}"
        )


def in_scope(scope):
    """The accompaniments' facts restricted by a scope (structures, programmes, territory)."""
    return scope.restrict(
        AccompanimentFact.objects.all(),
        structure="structure_id",
        programme="programme_id",
        commune="commune",
        qpv="qpv_code",
    )


def introductions_in_scope(scope):
    """The introductions' facts restricted by a scope (structures, territory)."""
    return scope.restrict(
        IntroductionFact.objects.all(),
        structure="structure_id",
        commune="commune",
        qpv="qpv_code",
    )
