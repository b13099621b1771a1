"""The counsellor's agenda: a day or a week (Monday to Sunday) in the local time zone."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode

from tisserand.appointments.models import Appointment

DAY, WEEK = "jour", "semaine"
VIEWS = {DAY: "Jour", WEEK: "Semaine"}


@dataclass(frozen=True)
class Period:
    view: str
    first_day: date

    @classmethod
    def containing(cls, view, day):
        if view == WEEK:
            day -= timedelta(days=day.weekday())
        return cls(view, day)

    @property
    def length(self):
        return 7 if self.view == WEEK else 1

    @property
    def days(self):
        return [self.first_day + timedelta(days=n) for n in range(self.length)]

    @property
    def last_day(self):
        return self.first_day + timedelta(days=self.length - 1)

    @property
    def starts_at(self):
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def ends_at(self):
        return timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))

    def shifted(self, steps):
        return Period(self.view, self.first_day + timedelta(days=steps * self.length))

    def switched_to(self, view, today=None):
        """The period of ``view`` around this one (around today when today is in it)."""
        day = today if today and self.first_day <= today <= self.last_day else self.first_day
        return Period.containing(view, day)

    def query(self):
        return urlencode({"vue": self.view, "date": self.first_day.isoformat()})

    @property
    def label(self):
        if self.view == DAY:
            return date_format(self.first_day, "l j F Y").capitalize()
        first, last = self.first_day, self.last_day
        if first.year != last.year:
            start = "j F Y"
        elif first.month != last.month:
            start = "j F"
        else:
            start = "j"
        return f"Semaine du {date_format(first, start)} au {date_format(last, 'j F Y')}"


def parse_period(view, day_text, today):
    """``(period, error)``: the period asked for, or today's with a French error."""
    view = view if view in VIEWS else WEEK
    if not day_text:
        return Period.containing(view, today), None
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return Period.containing(view, today), "Date invalide : l'agenda affiche aujourd'hui."
    return Period.containing(view, day), None


def appointments_of(user, structure, period):
    """The user's appointments for the structure during the period (one query)."""
    return list(
        Appointment.objects.filter(counsellor=user, structure=structure)
        .between(period.starts_at, period.ends_at)
        .select_related("person")
        .order_by("starts_at", "id")
    )


def by_day(period, appointments):
    """``[(day, [appointments of that day])]`` for every day of the period."""
    days = {day: [] for day in period.days}
    for appointment in appointments:
        days.setdefault(timezone.localdate(appointment.starts_at), []).append(appointment)
    return [(day, days[day]) for day in period.days]
