"""Reads several screens (and reporting) share: the agenda's events, the participants' counts,
and the ESF+ rule of who counts as a participant."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from tisserand.events.models import SEAT_STATUSES, Event, Registration, Session, Status

LIST, WEEK, MONTH = "liste", "semaine", "mois"


@dataclass(frozen=True)
class Period:
    view: str
    first_day: date

    @classmethod
    def of(cls, view, day):
        if view == WEEK:
            return cls(view, day - timedelta(days=day.weekday()))
        if view == MONTH:
            return cls(view, day.replace(day=1))
        return cls(LIST, day)

    @property
    def last_day(self):
        if self.view == WEEK:
            return self.first_day + timedelta(days=6)
        if self.view == MONTH:
            following = (self.first_day.replace(day=28) + timedelta(days=4)).replace(day=1)
            return following - timedelta(days=1)
        return self.first_day + timedelta(days=90)

    @property
    def starts_at(self):
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def ends_at(self):
        return timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))

    def shifted(self, steps):
        if self.view == MONTH:
            day = self.first_day
            month = day.month - 1 + steps
            return Period(MONTH, day.replace(year=day.year + month // 12, month=month % 12 + 1))
        length = 7 if self.view == WEEK else 91
        return Period(self.view, self.first_day + timedelta(days=steps * length))

    @property
    def days(self):
        """The days of the grid (a month view starts on a Monday and ends on a Sunday)."""
        first = self.first_day - timedelta(days=self.first_day.weekday())
        last = self.last_day + timedelta(days=6 - self.last_day.weekday())
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def agenda_sessions(events, period, *, filters):
    """The sessions of ``events`` (a queryset the reader may see) in ``period``, filtered, with
    their event loaded: two queries whatever the number of events (no query per row)."""
    sessions = Session.objects.filter(
        event__in=events.filter(**filters).values("pk"),
        event__cancelled_at__isnull=True,
        cancelled_at__isnull=True,
        starts_at__gte=period.starts_at,
        starts_at__lt=period.ends_at,
    )
    return sessions.select_related("event__structure", "event__commune").order_by("starts_at", "id")


def counts_by_status(event):
    """{session id: {status: count}} of the event's registrations, in one query."""
    counts = {}
    rows = (
        Registration.objects.filter(session__event=event)
        .values_list("session_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for session_id, status, n in rows:
        counts.setdefault(session_id, {})[status] = n
    return counts


# --- ESF+ ------------------------------------------------------------------------------------


def attended_days(person_ids=None):
    """{person id: number of distinct days they attended a collective event} (one query)."""
    rows = Registration.objects.filter(status=Status.PRESENT, person__isnull=False)
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    days = (
        rows.annotate(day=TruncDate("session__starts_at"))
        .values("person_id")
        .annotate(days=Count("day", distinct=True))
        .order_by()
        .values_list("person_id", "days")
    )
    return dict(days)


def esf_participant_ids(person_ids=None):
    """The persons who count as ESF+ participants through the collective events: present on
    at least two distinct days — a one-day collective action does not make a participant. For
    reporting (which may import this module): ``Person.objects.filter(pk__in=…)``."""
    return {person_id for person_id, days in attended_days(person_ids).items() if days >= 2}


def counts_as_participant(person):
    return person.pk in esf_participant_ids([person.pk])


def seats_taken_count(session):
    """The seats held, counted from the registrations (the stored counter's cross-check)."""
    return session.registrations.filter(status__in=SEAT_STATUSES).count()


def upcoming_public(now=None):
    now = now or timezone.now()
    return (
        Event.objects.active()
        .filter(visibility="public", sessions__starts_at__gt=now)
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=now))
        .distinct()
        .select_related("structure", "commune")
        .order_by("starts_at", "id")
    )
