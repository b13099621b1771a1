"""What an appointment may clash with, said in French before it is saved: another appointment
of the same counsellor, of the same person or in the same room at the same time, and hours
nobody usually works (night, Sunday). These are warnings: the counsellor confirms or changes
the appointment (``book`` and ``update`` refuse an unconfirmed one)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from tisserand.appointments.models import MAX_DURATION, Appointment, Mode

# Office hours: an appointment starting before or ending after them is at night.
DAY_STARTS, DAY_ENDS = time(7, 0), time(21, 0)
SUNDAY = 6


@dataclass(frozen=True)
class Slot:
    """The appointment as typed: who, where and when (``pk`` of the stored one, if any)."""

    person: object
    counsellor: object
    structure: object
    starts_at: datetime
    duration: timedelta
    mode: str = Mode.ON_SITE
    place: str = ""
    pk: int | None = None

    @classmethod
    def of(cls, appointment):
        return cls(
            person=appointment.person,
            counsellor=appointment.counsellor,
            structure=appointment.structure,
            starts_at=appointment.starts_at,
            duration=appointment.duration,
            mode=appointment.mode,
            place=appointment.place,
            pk=appointment.pk,
        )

    @property
    def what_clashes(self):
        """When, with whom and where: what a conflict depends on."""
        return (self.starts_at, self.duration, self.counsellor.pk, self.mode, self.place)

    @property
    def ends_at(self):
        return self.starts_at + self.duration

    @property
    def room(self):
        return self.place.strip().casefold() if self.mode == Mode.ON_SITE else ""


def moved(stored, slot):
    """Whether ``slot`` changes the stored appointment in a way that may make it clash."""
    return Slot.of(stored).what_clashes != slot.what_clashes


def warnings_for(slot):
    """The French warnings about ``slot``, an empty list when nothing clashes."""
    return _overlaps(slot) + _unusual_hours(slot)


def digest(warnings):
    """A short fingerprint of the warnings a counsellor confirmed (a changed appointment
    with other warnings needs a new confirmation)."""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16]


def _overlapping(slot):
    """The other appointments (not cancelled) running at the same time as ``slot``."""
    concerned = Q(counsellor=slot.counsellor) | Q(person=slot.person)
    if slot.room:
        concerned |= Q(structure=slot.structure, mode=Mode.ON_SITE)
    candidates = (
        Appointment.objects.not_cancelled()
        .filter(concerned, starts_at__lt=slot.ends_at, starts_at__gt=slot.starts_at - MAX_DURATION)
        .select_related("person", "counsellor")
        .order_by("starts_at", "id")
    )
    if slot.pk:
        candidates = candidates.exclude(pk=slot.pk)
    return [other for other in candidates if other.ends_at > slot.starts_at]


def _overlaps(slot):
    warnings = []
    for other in _overlapping(slot):
        span = _span(other)
        same_structure = other.structure_id == slot.structure.pk
        if other.counsellor_id == slot.counsellor.pk:
            with_whom = f"avec {other.person}" if same_structure else "pour une autre structure"
            warnings.append(f"{_name(slot.counsellor)} a déjà un rendez-vous {span} {with_whom}.")
        if other.person_id == slot.person.pk and other.counsellor_id != slot.counsellor.pk:
            elsewhere = "" if same_structure else " avec une autre structure"
            warnings.append(f"{slot.person} a déjà un rendez-vous {span}{elsewhere}.")
        if same_structure and slot.room and Slot.of(other).room == slot.room:
            warnings.append(f"Le lieu « {other.place} » est déjà pris {span}.")
    return list(dict.fromkeys(warnings))


def _unusual_hours(slot):
    starts, ends = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    warnings = []
    if starts.time() < DAY_STARTS or ends.date() > starts.date() or ends.time() > DAY_ENDS:
        warnings.append(
            f"Horaire inhabituel : {starts:%H:%M}–{ends:%H:%M}, en dehors de "
            f"{DAY_STARTS:%H} h – {DAY_ENDS:%H} h."
        )
    if starts.weekday() == SUNDAY:
        warnings.append(f"Horaire inhabituel : le {starts:%d/%m/%Y} est un dimanche.")
    return warnings


def _span(appointment):
    starts, ends = (
        timezone.localtime(appointment.starts_at),
        timezone.localtime(appointment.ends_at),
    )
    return f"le {starts:%d/%m/%Y} de {starts:%H:%M} à {ends:%H:%M}"


def _name(user):
    return user.get_full_name() or user.email
