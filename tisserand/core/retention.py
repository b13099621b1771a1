"""Retention limits of personal data, as code.

Each app owning personal data registers its ``RetentionRule``s in ``rules`` (in
``AppConfig.ready()``): what the data is, how long it is kept, from which date, on which legal
ground, and two functions — the rows past their limit (``due``) and what is done to them
(``process``: anonymise or delete). A rule may also name the rows reaching their limit soon
(``upcoming``) and tell their référent (``notify``), once per row (``RetentionNotice``).

``apply`` (the ``apply_retention`` command, the ``apply_retention_task`` task) runs every rule.
It is idempotent: a processed row is no longer ``due`` (deleted, or marked anonymised), a row is
notified once. A dry run counts and names what would be done and changes nothing. A row under a
``LegalHold`` is never due: each rule filters its rows through ``without_holds``.

The table the rules form is documented in ``docs/operations.md`` and printed by
``apply_retention --table``.
"""

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from tisserand.core.models import LegalHold, RetentionNotice
from tisserand.core.registry import Registry


@dataclass(frozen=True)
class RetentionRule:
    key: str
    # The table's columns, in French.
    data: str
    duration: str
    starts_from: str
    legal_ground: str
    action: str
    # due(today) -> the rows past their limit (held rows excluded, processed rows excluded).
    due: Callable[[date], QuerySet]
    # process(rows, today) -> how many rows were anonymised or deleted.
    process: Callable[[QuerySet, date], int]
    # upcoming(today) -> {row: day it becomes due} for rows to announce to their référent.
    upcoming: Callable[[date], dict] | None = None
    # notify({row: due day}) -> how many rows were announced (the rule e-mails the référents).
    notify: Callable[[dict], int] | None = None
    # describe(row) -> how a dry run names a row.
    describe: Callable[[Any], str] = str
    order: int = 100


rules: Registry[RetentionRule] = Registry("Règles de conservation")


def register(rule: RetentionRule) -> RetentionRule:
    return rules.register(rule)


@dataclass
class Outcome:
    rule: RetentionRule
    notified: int = 0
    processed: int = 0
    # Dry run: the rows that would be notified and processed, as ``describe`` names them.
    would_notify: list[str] = field(default_factory=list)
    would_process: list[str] = field(default_factory=list)


def start_of(day: date) -> datetime:
    """Midnight of ``day`` in the local time zone: a limit « N months after a moment » runs from
    the day after that moment's date."""
    return timezone.make_aware(datetime.combine(day, time.min))


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when that day does not exist)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def without_holds(rows: QuerySet) -> QuerySet:
    """``rows`` less those under a legal hold still standing."""
    held = LegalHold.objects.filter(
        subject_type=ContentType.objects.get_for_model(rows.model), lifted_at__isnull=True
    ).values("subject_id")
    return rows.exclude(pk__in=_as_pks(rows, held))


def _as_pks(rows: QuerySet, subject_ids: QuerySet) -> QuerySet:
    """The pks of ``rows``' model whose text form is in ``subject_ids`` (generic links store
    ids as text)."""
    return (
        rows.model._default_manager.annotate(
            pk_text=Cast("pk", output_field=CharField(max_length=64))
        )
        .filter(pk_text__in=subject_ids)
        .values("pk")
    )


def holds_on(obj) -> QuerySet:
    """The holds still standing on ``obj``."""
    return LegalHold.objects.filter(
        subject_type=ContentType.objects.get_for_model(obj),
        subject_id=str(obj.pk),
        lifted_at__isnull=True,
    )


def is_held(obj) -> bool:
    return holds_on(obj).exists()


def place_hold(obj, *, reason: str, user=None) -> LegalHold:
    return LegalHold.objects.create(
        subject_type=ContentType.objects.get_for_model(obj),
        subject_id=str(obj.pk),
        reason=reason,
        placed_by=user,
    )


def lift_holds(obj) -> int:
    return holds_on(obj).update(lifted_at=timezone.now())


def not_yet_notified(rule_key: str, due_days: dict) -> dict:
    """``{row: due day}`` less the rows already announced for this rule and this day (a row
    whose day moved, after new activity, is announced again)."""
    if not due_days:
        return {}
    model = type(next(iter(due_days)))
    done = set(
        RetentionNotice.objects.filter(
            rule=rule_key,
            subject_type=ContentType.objects.get_for_model(model),
            subject_id__in=[str(row.pk) for row in due_days],
        ).values_list("subject_id", "due_on")
    )
    return {row: day for row, day in due_days.items() if (str(row.pk), day) not in done}


def mark_notified(rule_key: str, due_days: dict) -> None:
    if not due_days:
        return
    subject_type = ContentType.objects.get_for_model(type(next(iter(due_days))))
    now = timezone.now()
    RetentionNotice.objects.bulk_create(
        [
            RetentionNotice(
                rule=rule_key,
                subject_type=subject_type,
                subject_id=str(row.pk),
                due_on=day,
                notified_at=now,
            )
            for row, day in due_days.items()
        ],
        update_conflicts=True,
        unique_fields=["rule", "subject_type", "subject_id"],
        update_fields=["due_on", "notified_at"],
    )


def forget_notices(rule_key: str, rows: Iterable) -> None:
    """The notices of processed rows, no longer of use."""
    rows = list(rows)
    if not rows:
        return
    RetentionNotice.objects.filter(
        rule=rule_key,
        subject_type=ContentType.objects.get_for_model(type(rows[0])),
        subject_id__in=[str(row.pk) for row in rows],
    ).delete()


def apply(today: date | None = None, *, dry_run: bool = False) -> list[Outcome]:
    """Runs every rule (in order): announces what is soon due, then processes what is due."""
    today = today or timezone.localdate()
    return [_apply_rule(rule, today, dry_run) for rule in rules]


def _apply_rule(rule: RetentionRule, today: date, dry_run: bool) -> Outcome:
    outcome = Outcome(rule)
    if rule.upcoming is not None and rule.notify is not None:
        announced = not_yet_notified(rule.key, rule.upcoming(today))
        if dry_run:
            outcome.would_notify = [rule.describe(row) for row in announced]
        else:
            outcome.notified = rule.notify(announced)
            mark_notified(rule.key, announced)
    due = rule.due(today)
    if dry_run:
        outcome.would_process = [rule.describe(row) for row in due]
    else:
        with transaction.atomic():
            outcome.processed = rule.process(due, today)
    return outcome


def cutoff(today: date, *, months: int = 0, days: int = 0) -> datetime:
    """The moment before which a row dated by a timestamp is past a limit of ``months`` and
    ``days`` on ``today``: kept on the limit's last day, processed the day after."""
    return start_of(months_before(today, months) - timedelta(days=days))


TOKEN_GRACE_DAYS = 30
TOKEN_GROUND = (
    "Minimisation (RGPD, art. 5.1.c et e) : un lien expiré ne sert plus ; 30 jours de grâce "
    "pour répondre à qui le signale"
)


def expired_token_rule(key, *, data, due, process, describe=str, order=700):
    """A rule for links sent by e-mail (invitations, answer links): what is left of them goes
    ``TOKEN_GRACE_DAYS`` after they expired."""
    return RetentionRule(
        key=key,
        data=data,
        duration=f"{TOKEN_GRACE_DAYS} jours",
        starts_from="de l'expiration du lien",
        legal_ground=TOKEN_GROUND,
        action="suppression" if process is delete_rows else "effacement du lien",
        due=due,
        process=process,
        describe=describe,
        order=order,
    )


def delete_rows(rows, today):
    """``process`` of a rule that deletes its rows: how many of them (cascades not counted)."""
    return rows.delete()[1].get(rows.model._meta.label, 0)
