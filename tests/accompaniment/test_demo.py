"""The demo seeders: ~150 fictitious persons across the demo caseloads, then their appointments
(the appointments app's own seeder, from the follow-up periods); idempotent, fast."""

import time
from io import StringIO

from django.db.models import Count

from tisserand.accompaniment import demo
from tisserand.accompaniment.caseload import Caseload
from tisserand.accompaniment.models import Accompaniment, SixMonthFollowUp, Status
from tisserand.appointments import demo as appointments_demo
from tisserand.appointments.models import Appointment
from tisserand.core import demo as seeders
from tisserand.core.timeline import events_about
from tisserand.people.derived_statuses import DERIVED_KINDS
from tisserand.people.models import FollowUpMember, Person, PublicStatus
from tisserand.structures import demo as territory
from tisserand.structures.models import Membership


def test_demo_seeds_caseloads_at_every_stage_once():
    territory.seed()
    out = StringIO()
    started = time.perf_counter()
    demo.seed(out)
    appointments_demo.seed(out)
    assert time.perf_counter() - started < 10
    assert "150 personnes fictives" in out.getvalue()
    assert "rendez-vous fictifs créés" in out.getvalue()
    persons = Person.objects.all()
    assert persons.count() == 150 and not persons.filter(is_demo=False).exists()
    communes = set(persons.values_list("postal_code", flat=True))
    assert communes == {"59100", "59390"}
    assert all(phone.startswith("+3363998") for phone in persons.values_list("phone", flat=True))
    assert all(email.endswith(".invalid") for email in persons.values_list("email", flat=True))
    by_referent = dict(Accompaniment.objects.values_list("referent__email").annotate(n=Count("pk")))
    assert by_referent["referent@mde-roubaix.test"] == 70
    assert sum(by_referent.values()) == 150
    assert Accompaniment.objects.filter(status=Status.CLOSED).count() >= 40
    assert SixMonthFollowUp.objects.filter(recorded_at__isnull=False).exists()
    assert SixMonthFollowUp.objects.filter(recorded_at__isnull=True).exists()
    assert Appointment.objects.filter(attendance="present").exists()
    assert FollowUpMember.objects.filter(role="referent").count() == 150
    # Age and QPV statuses are derived from the record, never stored.
    assert persons.filter(qpv_status="in_qpv").exists()
    assert PublicStatus.objects.exists()
    assert not PublicStatus.objects.filter(kind__in=DERIVED_KINDS).exists()
    # Events on accompaniments and appointments show on their person's timeline too.
    person = Accompaniment.objects.first().person
    assert events_about(person).filter(subject_type__model="accompaniment").exists()
    # The main demo référent's caseload shows alerts.
    membership = Membership.objects.get(user__email="referent@mde-roubaix.test")
    counts = Caseload(membership, {"statut": "tous"}).counts()
    statuses = {key: count for key, _, count in counts["statuses"]}
    alerts = {key: count for key, _, count in counts["alerts"]}
    assert statuses["en-cours"] > 30 and statuses["suivi"] and statuses["sortis"]
    assert 0 < alerts["sans-contact"] < statuses["en-cours"] / 2
    assert alerts["suivi-a-faire"] and alerts["sortie-a-qualifier"]
    # No appointment after an exit; an upcoming one only while the accompaniment is open.
    closed = Accompaniment.objects.filter(status=Status.CLOSED)
    for accompaniment in closed.select_related("person")[:10]:
        days = accompaniment.person.appointments.values_list("starts_at", flat=True)
        assert days and all(day.date() <= accompaniment.exit_date for day in days)
    appointments = Appointment.objects.count()
    again = StringIO()
    demo.seed(again)
    appointments_demo.seed(again)
    assert again.getvalue().count("déjà présents") == 2
    assert Person.objects.count() == 150 and Appointment.objects.count() == appointments


def test_appointments_are_seeded_after_the_accompaniments_and_before_guidance():
    order = [seeder.name for seeder in seeders.seeders()]
    accompaniments = order.index("Accompagnements (démonstration)")
    appointments = order.index("Rendez-vous (démonstration)")
    guidance = order.index("Orientation professionnelle (démonstration)")
    assert accompaniments < appointments < guidance
