"""The counsellor's agenda: day and week views, navigation, htmx, menu, bounded queries."""

from datetime import UTC, date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.appointments.conftest import local
from tests.appointments.factories import AppointmentFactory
from tests.factories import UserFactory
from tests.people.factories import PersonFactory, follow
from tisserand.appointments.agenda import DAY, WEEK, Period, parse_period
from tisserand.structures.roles import Role

AGENDA = reverse("appointments:agenda")


def test_week_view_lists_each_day_with_its_appointments(client_for, referent, make_appointment):
    make_appointment(starts_at=local(0, 10), subject="Entretien du jour")
    make_appointment(starts_at=local(0, 8), subject="Tôt le matin")
    response = client_for(referent).get(AGENDA)
    assert response.status_code == 200
    assert response.context["period"].view == WEEK
    days = response.context["days"]
    assert len(days) == 7
    assert days[0][0].weekday() == 0
    today = dict(days)[timezone.localdate()]
    assert [a.subject for a in today] == ["Tôt le matin", "Entretien du jour"]
    html = response.content.decode()
    assert "Amina BENALI" in html
    assert "<caption" in html and 'scope="row"' in html


def test_day_view_and_navigation_links(client_for, referent, make_appointment):
    make_appointment(starts_at=local(1, 9), subject="Demain")
    make_appointment(starts_at=local(2, 9), subject="Après-demain")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(referent).get(AGENDA, {"vue": "jour", "date": tomorrow})
    html = response.content.decode()
    assert "Demain" in html and "Après-demain" not in html
    after = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert f"vue=jour&amp;date={after}" in html
    assert "Jour précédent" in html and "Aujourd'hui" in html


def test_other_counsellors_and_other_structures_are_not_in_my_agenda(
    client_for, referent, person, make_appointment, make_member
):
    make_appointment(starts_at=local(0, 10), subject="Le mien")
    make_appointment(starts_at=local(0, 11), subject="Un collègue", counsellor=UserFactory())
    elsewhere = make_member(Role.REFERENT, user=referent.user)
    other_person = PersonFactory(owner_structure=elsewhere.structure)
    AppointmentFactory(
        person=other_person, counsellor=referent.user, starts_at=local(0, 12), subject="Ailleurs"
    )
    html = client_for(referent).get(AGENDA, {"vue": "jour"}).content.decode()
    assert "Le mien" in html
    assert "Un collègue" not in html and "Ailleurs" not in html


def test_bad_date_shows_today_with_a_message(client_for, referent):
    response = client_for(referent).get(AGENDA, {"vue": "jour", "date": "2026-13-45"})
    assert response.status_code == 200
    assert response.context["period"].first_day == timezone.localdate()
    assert "Date invalide" in response.content.decode()


def test_htmx_gets_the_period_fragment_and_the_full_page_otherwise(client_for, referent):
    client = client_for(referent)
    fragment = client.get(AGENDA, {"vue": "jour"}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and "agenda-period-title" in html
    assert 'hx-swap-oob="true"' in html
    assert "HX-Request" in fragment["Vary"]
    restore = client.get(
        AGENDA, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_cancelled_appointments_are_shown_as_cancelled(client_for, referent, make_appointment):
    make_appointment(starts_at=local(0, 10), cancelled_at=timezone.now())
    response = client_for(referent).get(AGENDA, {"vue": "jour"})
    assert "Annulé" in response.content.decode()
    assert response.context["count"] == 0


def test_agenda_queries_do_not_grow_with_the_appointments(client_for, referent, person):
    client = client_for(referent)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(AGENDA).status_code == 200
        return len(queries)

    AppointmentFactory(person=person, counsellor=referent.user, starts_at=local(0, 9))
    few = count_queries()
    for n in range(15):
        other = PersonFactory(owner_structure=referent.structure)
        follow(other, referent)
        AppointmentFactory(
            person=other, counsellor=referent.user, starts_at=local(0, 8) + timedelta(hours=n % 10)
        )
    assert count_queries() == few
    assert few <= 12


@pytest.mark.parametrize(
    ("role", "in_menu"),
    [
        (Role.REFERENT, True),
        (Role.PARTNER, True),
        (Role.DIRECTOR, False),
        (Role.ADMIN, False),
        (Role.BUSINESS, False),
        (Role.FUNDER, False),
    ],
    ids=str,
)
def test_menu_entry_for_roles_that_meet_persons(client_for, make_member, role, in_menu):
    member = make_member(role)
    response = client_for(member).get(reverse("core:home"))
    labels = [entry["label"] for entry in response.context["navigation"]]
    assert ("Agenda" in labels) is in_menu
    cards = {card["title"]: card for card in response.context["cards"]}
    assert ("Mon agenda" in cards) is in_menu
    if in_menu:
        assert cards["Mon agenda"]["figure"] == (0, "rendez-vous aujourd'hui")
    expected = 403 if role == Role.FUNDER else 200
    assert client_for(member).get(AGENDA).status_code == expected


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.ADMIN], ids=str)
def test_director_and_admin_see_the_menu_entry_once_they_hold_appointments(
    client_for, make_member, structure, role
):
    member = make_member(role, structure=structure)
    AppointmentFactory(
        person=PersonFactory(owner_structure=structure),
        counsellor=member.user,
        structure=structure,
    )
    response = client_for(member).get(reverse("core:home"))
    assert "Agenda" in [entry["label"] for entry in response.context["navigation"]]


def test_agenda_asks_for_login_or_membership(client):
    assert reverse("account_login") in client.get(AGENDA)["Location"]
    client.force_login(UserFactory())
    assert client.get(AGENDA).status_code == 403


# --- Periods (pure) -----------------------------------------------------------------------


def test_periods_start_on_monday_and_cross_months_and_years():
    week = Period.containing(WEEK, date(2026, 12, 31))
    assert week.first_day == date(2026, 12, 28)
    assert week.last_day == date(2027, 1, 3)
    assert week.label == "Semaine du 28 décembre 2026 au 3 janvier 2027"
    assert week.shifted(1).first_day == date(2027, 1, 4)
    assert Period.containing(WEEK, date(2026, 3, 11)).label == "Semaine du 9 au 15 mars 2026"
    assert Period.containing(DAY, date(2026, 3, 12)).label == "Jeudi 12 mars 2026"
    assert week.switched_to(DAY, today=date(2026, 12, 31)).first_day == date(2026, 12, 31)
    assert week.switched_to(DAY, today=date(2026, 6, 1)).first_day == date(2026, 12, 28)


def test_periods_cover_whole_local_days_across_the_daylight_saving_change():
    day = Period(DAY, date(2026, 3, 29))  # 23 hours long in Paris
    assert day.ends_at.astimezone(UTC) - day.starts_at.astimezone(UTC) == timedelta(hours=23)
    assert parse_period("mois", "2026-03-29", date(2026, 1, 1)) == (
        Period.containing(WEEK, date(2026, 3, 29)),
        None,
    )
