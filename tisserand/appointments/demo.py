"""Demo appointments: the past and upcoming appointments of the demo persons with their
référent, seeded after the demo accompaniments.

The appointments follow each person's follow-up periods (people's ``follow_up_periods`` hook,
which the accompaniment app provides): every 3 to 6 weeks from the entry, the last one recent,
except for some persons left without contact and those past their planned end (the caseload's
"sans contact" alert), and near the exit for those who left. An open follow-up mostly has an
upcoming appointment. Fictitious like the persons; running it again changes nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from tisserand.appointments.models import Appointment, Attendance, Mode
from tisserand.people.hooks import follow_up_periods
from tisserand.people.models import Person
from tisserand.structures.models import Structure

SEED = 2026
SUBJECTS = [
    "Entretien de diagnostic",
    "Point sur le plan d'action",
    "Préparation d'un entretien",
    "Point sur les candidatures",
    "Bilan de l'immersion",
    "Point mensuel",
]
# An open follow-up older than this is settled: some of those are left without contact.
SETTLED_AFTER_DAYS = 30
SILENT_SHARE = 0.2


def seed(stdout):
    if Appointment.objects.filter(person__is_demo=True).exists():
        stdout.write("  Rendez-vous de démonstration déjà présents.")
        return
    periods = follow_up_periods(Person.objects.filter(is_demo=True).values("pk"))
    if not periods:
        stdout.write("  Aucune personne de démonstration suivie : rien à planifier.")
        return
    with transaction.atomic():
        count = Planner(random.Random(SEED), timezone.localdate()).plan(periods)
    stdout.write(f"  {count} rendez-vous fictifs créés.")


class Planner:
    def __init__(self, rng, today):
        self.rng, self.today = rng, today
        self.now = timezone.now()

    def plan(self, periods):
        places = dict(
            Structure.objects.filter(pk__in={p.structure_id for p in periods}).values_list(
                "pk", "address_line"
            )
        )
        rows = []
        for period in periods:
            silent = self._settled(period) and self.rng.random() < SILENT_SHARE
            for day in self._past_contact_days(period, silent):
                rows.append(self._appointment(period, places, day, past=True))
            if period.is_open and not silent:
                upcoming = self.today + timedelta(days=self.rng.randint(1, 20))
                rows.append(self._appointment(period, places, upcoming, past=False))
        Appointment.objects.bulk_create(rows, batch_size=500)
        return len(rows)

    def _overdue(self, period):
        return period.planned_end_on is not None and period.planned_end_on < self.today

    def _settled(self, period):
        return (
            period.is_open
            and not self._overdue(period)
            and period.starts_on < self.today - timedelta(days=SETTLED_AFTER_DAYS)
        )

    def _past_contact_days(self, period, silent):
        """Days of past appointments, most recent first: every 3 to 6 weeks back to the entry;
        the last one recent, except for the persons left without contact (alert)."""
        if not period.is_open:
            day = period.ends_on - timedelta(days=self.rng.randint(0, 10))
        elif silent or self._overdue(period):
            day = self.today - timedelta(days=self.rng.randint(35, 90))
        else:
            day = self.today - timedelta(days=self.rng.randint(1, 25))
        days = []
        while day >= period.starts_on and len(days) < 8:
            days.append(day)
            day -= timedelta(days=self.rng.randint(21, 45))
        return days or [period.starts_on]

    def _at(self, day, hour, minute):
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def _appointment(self, period, places, day, past):
        if day.weekday() >= 5:  # a weekday: the Friday before, or the Monday after
            day += timedelta(days=4 - day.weekday()) if past else timedelta(days=7 - day.weekday())
        starts_at = self._at(
            day, self.rng.choice([9, 10, 11, 14, 15, 16]), self.rng.choice([0, 30])
        )
        attendance, recorded_at = Attendance.PLANNED, None
        if past and starts_at < self.now:
            attendance = self.rng.choices(
                [Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT], [80, 10, 10]
            )[0]
            recorded_at = starts_at + timedelta(hours=1)
        return Appointment(
            person_id=period.person_id,
            counsellor_id=period.user_id,
            structure_id=period.structure_id,
            starts_at=starts_at,
            mode=self.rng.choices([Mode.ON_SITE, Mode.PHONE, Mode.VIDEO], [75, 20, 5])[0],
            place=str(places.get(period.structure_id, "")),
            subject=self.rng.choice(SUBJECTS),
            attendance=attendance,
            attendance_recorded_at=recorded_at,
            created_by_id=period.user_id,
            created_at=min(starts_at - timedelta(days=7), self.now),
        )
