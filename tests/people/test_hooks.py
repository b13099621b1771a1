"""The hooks people declares for the services: each one provided by the app that knows, and
its fallback when that app is absent (``tisserand.people.hooks``)."""

import datetime
from datetime import timedelta

from django.utils import timezone

from tests.accompaniment.conftest import ensure_initial_data
from tests.accompaniment.factories import AccompanimentFactory, appellation, programme
from tests.appointments.conftest import local
from tests.appointments.factories import AppointmentFactory
from tests.hooks import withdrawn
from tests.people.factories import PersonFactory, follow
from tisserand.accompaniment import services as accompaniment_services
from tisserand.accompaniment.caseload import Caseload
from tisserand.appointments import services as appointments_services
from tisserand.appointments.models import Attendance
from tisserand.people import hooks
from tisserand.people.hooks import FollowUpPeriod
from tisserand.people.models import Person
from tisserand.structures.roles import Role

ENTRY = datetime.date(2025, 1, 6)


def _attended(person, days_ago):
    return AppointmentFactory(
        person=person,
        starts_at=local(-days_ago, 10),
        attendance=Attendance.PRESENT,
        attendance_recorded_at=timezone.now(),
    )


def _accompanied(person, membership, **fields):
    ensure_initial_data()
    return accompaniment_services.open_accompaniment(
        person,
        programme=programme(),
        referent=membership.user,
        entry_date=ENTRY,
        actor=accompaniment_services.Actor.of(membership),
        **fields,
    )


# --- last contact: provided by appointments ----------------------------------------------------


def test_appointments_provide_the_last_contact(person):
    other = PersonFactory(owner_structure=person.owner_structure)
    _attended(person, 40)
    seen = _attended(person, 3)
    persons = Person.objects.annotate(last_contact_at=hooks.last_contact_subquery())
    assert dict(persons.values_list("pk", "last_contact_at")) == {
        person.pk: seen.starts_at,
        other.pk: None,
    }


def test_without_appointments_no_contact_is_known(person, referent):
    _attended(person, 3)
    _accompanied(person, referent)
    implementation = appointments_services.last_contact_subquery
    with withdrawn(hooks.hooks, hooks.LAST_CONTACT_SUBQUERY, implementation):
        persons = Person.objects.annotate(last_contact_at=hooks.last_contact_subquery())
        assert list(persons.values_list("last_contact_at", flat=True)) == [None]
        # The caseload still filters, sorts and pages on it: nobody has been seen.
        caseload = Caseload(referent, {"contact": "jamais", "tri": "-contact"})
        assert [row.last_contact for row in caseload.page(1).object_list] == [None]
        assert caseload.counts()["shown"] == 1
    caseload = Caseload(referent, {"contact": "jamais"})
    assert caseload.counts()["shown"] == 0


# --- occupation target retained: provided by accompaniment -------------------------------------


def test_accompaniment_adds_a_retained_target_to_the_open_project(person, referent, make_member):
    accompaniment = _accompanied(person, referent)
    baker = appellation()
    project = hooks.occupation_target_retained(person, baker, referent)
    assert project.accompaniment == accompaniment
    assert list(accompaniment.project.target_appellations.all()) == [baker]
    # Not for a member who may not change it, nor without a job title.
    funder = make_member(Role.FUNDER, referent.structure)
    pastry_cook = appellation(11574, "Pâtissier / Pâtissière")
    assert hooks.occupation_target_retained(person, pastry_cook, funder) is None
    assert hooks.occupation_target_retained(person, None, referent) is None
    assert list(accompaniment.project.target_appellations.all()) == [baker]


def test_without_accompaniment_a_retained_target_changes_nothing_else(person, referent):
    accompaniment = _accompanied(person, referent)
    implementation = accompaniment_services.add_retained_target
    with withdrawn(hooks.hooks, hooks.OCCUPATION_TARGET_RETAINED, implementation):
        assert hooks.occupation_target_retained(person, appellation(), referent) is None
    assert not accompaniment_services.project_of(accompaniment).pk


# --- follow-up periods: provided by accompaniment ----------------------------------------------


def test_accompaniment_provides_the_follow_up_periods(structure, referent):
    ensure_initial_data()
    followed, left = (
        PersonFactory(owner_structure=structure),
        PersonFactory(owner_structure=structure),
    )
    planned = ENTRY + timedelta(days=365)
    _accompanied(followed, referent, planned_end_date=planned)
    AccompanimentFactory(
        person=left,
        structure=structure,
        referent=referent.user,
        status="closed",
        exit_date=ENTRY + timedelta(days=90),
        exit_type="cdi",
    )
    periods = hooks.follow_up_periods(Person.objects.values("pk"))
    assert periods == [
        FollowUpPeriod(followed.pk, referent.user_id, structure.pk, ENTRY, None, planned),
        FollowUpPeriod(
            left.pk, referent.user_id, structure.pk, ENTRY, ENTRY + timedelta(days=90), None
        ),
    ]
    assert [period.is_open for period in periods] == [True, False]
    assert hooks.follow_up_periods([left.pk]) == periods[1:]


def test_without_accompaniment_the_referent_seats_are_the_periods(person, referent, make_member):
    # ``person`` is followed by ``referent`` (a référent seat); a team seat is no period.
    colleague = make_member(Role.REFERENT, referent.structure)
    follow(person, colleague, role="team")
    seat = person.follow_ups.get(user=referent.user)
    seat.since = ENTRY
    seat.save()
    implementation = accompaniment_services.follow_up_periods
    with withdrawn(hooks.hooks, hooks.FOLLOW_UP_PERIODS, implementation):
        assert hooks.follow_up_periods([person.pk]) == [
            FollowUpPeriod(person.pk, referent.user_id, referent.structure_id, ENTRY)
        ]
        seat.is_active, seat.until = False, ENTRY + timedelta(days=30)
        seat.save()
        assert [p.ends_on for p in hooks.follow_up_periods([person.pk])] == [seat.until]
    # With accompaniment installed, the periods are its accompaniments: none here.
    assert hooks.follow_up_periods([person.pk]) == []
