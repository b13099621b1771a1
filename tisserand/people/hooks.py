"""What the services tell each other about a person, through the people layer.

The services (accompaniment, appointments, guidance…) sit side by side and never import each
other. When one needs what another knows about a person, the people app declares a hook here
(``tisserand.core.registry.Hooks``) and the app that knows provides it in its
``AppConfig.ready()``. Each fallback is what holds when the providing app is not installed.

- ``last_contact_subquery`` — the start of the person's last attended appointment, as a
  subquery (provided by appointments; without it, no contact is known).
- ``occupation_target_retained`` — an occupation was retained as a target for the person
  (called by guidance; accompaniment adds it to the open accompaniment's project; without it,
  nothing else happens).
- ``follow_up_periods`` — when and by whom each person was followed (provided by
  accompaniment from its accompaniments; without it, from the référent seats of the follow-up
  team).
- ``next_appointment`` — a French sentence describing the person's next appointment with a
  structure, or "" (provided by appointments; without it, none is known).
- ``future_appointments`` and ``cancel_appointments`` — the person's appointments to come with
  a structure, and their cancellation (reminders included): an exit lists and cancels them
  (provided by appointments; without it, there are none).
- ``current_barriers`` — the barriers of the person's current diagnosis, as (theme, level)
  pairs (provided by accompaniment; without it, none is known). Referrals propose the
  matching thematics of the partners' services.
- ``job_wishes`` — for each person, the occupations aimed at in the open accompaniment's
  professional project, the contracts and working time sought, the mobility radius and the
  barrier themes rated significant or major (provided by accompaniment; without it, none).
- ``confirmed_skills`` — for each person, the ROME skills (code OGR) the person confirmed in
  the guidance profile, the targets retained, the commune and radius given there (provided by
  guidance; without it, none: the matching then claims no skill).
- ``hire_recorded`` — an introduction ended in a hire, with the contract's French label
  (called by opportunities; accompaniment reports it on the person's open accompaniments,
  whose page then asks for the exit; without it, nothing else happens).
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import DateTimeField, Value
from django.db.models.functions import Cast

from tisserand.core.registry import Hooks
from tisserand.people.models import FollowUpMember, FollowUpRole

hooks = Hooks("personnes")

LAST_CONTACT_SUBQUERY = "last_contact_subquery"
OCCUPATION_TARGET_RETAINED = "occupation_target_retained"
FOLLOW_UP_PERIODS = "follow_up_periods"
NEXT_APPOINTMENT = "next_appointment"
FUTURE_APPOINTMENTS = "future_appointments"
CANCEL_APPOINTMENTS = "cancel_appointments"
CURRENT_BARRIERS = "current_barriers"
JOB_WISHES = "job_wishes"
CONFIRMED_SKILLS = "confirmed_skills"
HIRE_RECORDED = "hire_recorded"


@dataclass(frozen=True)
class FollowUpPeriod:
    """A person followed by a référent for a structure, from a day, until a day or still."""

    person_id: int
    user_id: int
    structure_id: int
    starts_on: date
    ends_on: date | None = None
    planned_end_on: date | None = None

    @property
    def is_open(self):
        return self.ends_on is None


@dataclass(frozen=True)
class PlannedAppointment:
    """An appointment to come, as another service shows it: its id, start and French label."""

    public_id: UUID
    starts_at: datetime
    label: str


@dataclass(frozen=True)
class JobWishes:
    """What a person's professional project says of the job sought."""

    appellation_ids: frozenset = frozenset()
    fiche_codes: frozenset = frozenset()
    contract_types: frozenset = frozenset()
    working_time: str = "any"
    radius_km: int | None = None
    barrier_themes: frozenset = frozenset()


@dataclass(frozen=True)
class ConfirmedSkills:
    """What a person's guidance profile says: skills ticked, targets retained, place."""

    skill_codes: frozenset = frozenset()
    fiche_codes: frozenset = frozenset()
    appellation_ids: frozenset = frozenset()
    commune_id: int | None = None
    radius_km: int | None = None


def _no_contact(person_ref="pk"):
    # A typed NULL, not a bare one: PostgreSQL refuses to sort on a constant.
    return Cast(Value(None), output_field=DateTimeField())


def _nothing_more(person, appellation, membership):
    return None


def _referent_seats(persons):
    seats = FollowUpMember.objects.filter(person__in=persons, role=FollowUpRole.REFERENT).order_by(
        "person_id", "since", "pk"
    )
    return [
        FollowUpPeriod(
            person_id=seat.person_id,
            user_id=seat.user_id,
            structure_id=seat.structure_id,
            starts_on=seat.since,
            ends_on=seat.until,
        )
        for seat in seats
    ]


def _no_appointments(person, structure):
    return []


def _nothing_cancelled(person, structure, public_ids, *, actor, reason):
    return 0


hooks.declare(LAST_CONTACT_SUBQUERY, _no_contact)
hooks.declare(JOB_WISHES, lambda person_ids: {})
hooks.declare(CONFIRMED_SKILLS, lambda person_ids: {})
hooks.declare(HIRE_RECORDED, lambda person, *, contract_type, hired_on, actor: None)
hooks.declare(OCCUPATION_TARGET_RETAINED, _nothing_more)
hooks.declare(FOLLOW_UP_PERIODS, _referent_seats)
hooks.declare(NEXT_APPOINTMENT, lambda person, structure: "")
hooks.declare(FUTURE_APPOINTMENTS, _no_appointments)
hooks.declare(CANCEL_APPOINTMENTS, _nothing_cancelled)
hooks.declare(CURRENT_BARRIERS, lambda person: [])


def last_contact_subquery(person_ref="pk"):
    """An expression for ``annotate()``: when the person of ``person_ref`` (a field of the
    outer query holding the person's id) last attended an appointment, or NULL."""
    return hooks.call(LAST_CONTACT_SUBQUERY, person_ref)


def occupation_target_retained(person, appellation, membership):
    """Tells the other services that ``membership`` retained ``appellation`` as one of the
    person's occupation targets. Returns what the provider returns (``None`` without one)."""
    return hooks.call(OCCUPATION_TARGET_RETAINED, person, appellation, membership)


def follow_up_periods(persons):
    """The ``FollowUpPeriod`` of ``persons`` (a queryset or ids), by person then start."""
    return hooks.call(FOLLOW_UP_PERIODS, persons)


def next_appointment(person, structure):
    """A French sentence describing the person's next appointment with ``structure``, or ""."""
    return hooks.call(NEXT_APPOINTMENT, person, structure)


def future_appointments(person, structure):
    """The person's ``PlannedAppointment``s to come with ``structure`` (not cancelled), by
    start."""
    return hooks.call(FUTURE_APPOINTMENTS, person, structure)


def cancel_appointments(person, structure, public_ids, *, actor, reason):
    """Cancels those of the person's appointments to come with ``structure`` whose public id
    is in ``public_ids`` (their reminders are not sent); returns how many."""
    return hooks.call(
        CANCEL_APPOINTMENTS, person, structure, public_ids, actor=actor, reason=reason
    )


def current_barriers(person):
    """The barriers of the person's current diagnosis: (theme code, level 0–3) pairs, one per
    theme (its latest assessment in an open accompaniment); [] when none is known."""
    return hooks.call(CURRENT_BARRIERS, person)


def job_wishes(person_ids):
    """``{person_id: JobWishes}`` for the persons of ``person_ids`` that have a project."""
    return hooks.call(JOB_WISHES, person_ids)


def confirmed_skills(person_ids):
    """``{person_id: ConfirmedSkills}`` for the persons of ``person_ids`` with a profile."""
    return hooks.call(CONFIRMED_SKILLS, person_ids)


def hire_recorded(person, *, contract_type, hired_on, actor):
    """An introduction of ``person`` ended in a hire on ``hired_on`` (``contract_type``: a
    France Travail code such as CDI, CDD, MIS)."""
    return hooks.call(
        HIRE_RECORDED, person, contract_type=contract_type, hired_on=hired_on, actor=actor
    )
