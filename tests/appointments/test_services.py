"""Last contact dates for the caseload, and the appointments panel of the person page."""

from datetime import timedelta

from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.appointments.conftest import local
from tests.appointments.factories import AppointmentFactory
from tests.people.factories import ConsentFactory, PersonFactory
from tisserand.appointments import panel, perms
from tisserand.appointments.models import Attendance
from tisserand.appointments.services import last_contact_dates, last_contact_subquery
from tisserand.core.records import RecordContext
from tisserand.people.models import Person
from tisserand.structures.roles import Role


def attended(person, days_ago, attendance=Attendance.PRESENT, **fields):
    return AppointmentFactory(
        person=person,
        starts_at=local(-days_ago, 10),
        attendance=attendance,
        attendance_recorded_at=timezone.now(),
        **fields,
    )


def test_last_contact_dates_in_one_query(structure):
    seen = PersonFactory(owner_structure=structure)
    absent = PersonFactory(owner_structure=structure)
    never = PersonFactory(owner_structure=structure)
    attended(seen, 40)
    attended(seen, 5)
    attended(absent, 2, Attendance.ABSENT)
    attended(absent, 3, Attendance.EXCUSED)
    AppointmentFactory(person=seen, starts_at=local(2, 9))  # planned, in the future
    with CaptureQueriesContext(connection) as queries:
        dates = last_contact_dates([seen.pk, absent.pk, never.pk])
    assert len(queries) == 1
    assert dates == {seen.pk: timezone.localdate() - timedelta(days=5)}
    assert last_contact_dates(Person.objects.values("pk")) == dates
    assert last_contact_dates([]) == {}


def test_last_contact_as_a_subquery_for_filtering_and_sorting(structure):
    recent, old = PersonFactory(owner_structure=structure), PersonFactory(owner_structure=structure)
    attended(recent, 3)
    attended(old, 45)
    limit = timezone.now() - timedelta(days=30)
    persons = Person.objects.annotate(last_contact_at=last_contact_subquery())
    assert list(persons.filter(last_contact_at__lt=limit)) == [old]
    assert list(persons.order_by("-last_contact_at").values_list("pk", flat=True)[:1]) == [
        recent.pk
    ]


def _request(membership):
    request = RequestFactory().get("/")
    request.membership = membership
    request.user = membership.user
    return request


def test_the_panel_is_registered_for_who_sees_the_appointments(
    referent, person, make_member, structure
):
    sections = RecordContext("person", person, referent).sections()
    assert "appointments" in [section.key for section in sections]
    partner = make_member(Role.PARTNER)
    assert not perms.can_view_appointments(partner, person)
    ConsentFactory(person=person, structure=partner.structure, scopes=["identity"])
    assert not perms.can_view_appointments(partner, person)
    person.consents.update(scopes=["identity", "appointments"])
    assert perms.can_view_appointments(partner, person)
    assert not perms.can_view_appointments(make_member(Role.FUNDER, structure=structure), person)


def test_the_panel_queries_do_not_grow_with_the_history(referent, person, make_appointment):
    def render_panel():
        request = _request(referent)
        with CaptureQueriesContext(connection) as queries:
            context = panel.context(RecordContext("person", person, referent, request))
            html = render_to_string("appointments/panel.html", {"person": person, **context})
        return len(queries), context, html

    make_appointment(starts_at=local(2, 9))
    few, _, _ = render_panel()
    for days in range(1, 12):
        attended(person, days, counsellor=referent.user, structure=referent.structure)
        make_appointment(starts_at=local(days + 3, 9))
    many, context, html = render_panel()
    assert many == few
    assert len(context["upcoming"]) == 5 and len(context["recent"]) == 5
    assert context["counts"] == {"upcoming": 12, "present": 11, "missed": 0}
    assert context["last_contact"] == timezone.localdate() - timedelta(days=1)
    assert context["can_book"] is True
    assert "Fixer un rendez-vous" in html
