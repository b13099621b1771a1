"""ICS: the export of one appointment, and the private feed of a counsellor (secret token)."""

import re
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.appointments.conftest import local
from tests.appointments.factories import AppointmentFactory
from tests.people.factories import PersonFactory
from tisserand.appointments import feeds
from tisserand.appointments.ics import short_name
from tisserand.appointments.models import CalendarFeed
from tisserand.core.timeline import events_for
from tisserand.structures.roles import Role


def events_of(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def feed_url(token):
    return reverse("appointments:feed", args=[token])


@pytest.fixture
def person(person):
    person.phone = "06 12 34 56 78"
    person.save()
    return person


# --- One appointment ----------------------------------------------------------------------


def test_export_of_one_appointment(client_for, referent, make_appointment):
    appointment = make_appointment(starts_at=local(3, 10), subject="Bilan du plan d'action")
    response = client_for(referent).get(
        reverse("appointments:export", args=[appointment.public_id])
    )
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('h00.ics"')
    [event] = events_of(response)
    assert str(event["uid"]) == f"{appointment.public_id}@tisserand.rendez-vous"
    assert event.decoded("dtstart") == appointment.starts_at.astimezone(UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)
    assert str(event["summary"]) == "RDV Amina B. (sur place)"
    assert str(event["location"]) == appointment.place
    assert "Bilan du plan d'action" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert f"/rendez-vous/{appointment.public_id}/" in str(event["url"])


def test_export_is_refused_to_other_structures(client_for, make_member, make_appointment):
    appointment = make_appointment()
    url = reverse("appointments:export", args=[appointment.public_id])
    assert client_for(make_member(Role.REFERENT)).get(url).status_code == 403


def test_short_name_keeps_the_first_name_and_the_initial():
    assert short_name(PersonFactory.build(first_name="Léa", last_name="martin")) == "Léa M."
    assert short_name(PersonFactory.build(first_name="Ana", last_name="  ")) == "Ana"


# --- The private feed ---------------------------------------------------------------------


def issue_through_the_page(client):
    response = client.post(reverse("appointments:feed_issue"))
    assert response.status_code == 302
    page = client.get(reverse("appointments:agenda")).content.decode()
    match = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', page)
    assert match, "the new URL is shown once on the agenda page"
    # The URL is shown once only.
    assert "feed-url" not in client.get(reverse("appointments:agenda")).content.decode()
    return match.group(1)


def test_feed_works_without_login_and_minimises_personal_data(
    client_for, client, referent, person, make_appointment
):
    make_appointment(starts_at=local(2, 9), subject="Dossier RQTH à compléter")
    make_appointment(starts_at=local(-3, 9))
    make_appointment(starts_at=local(4, 9), cancelled_at=timezone.now())
    url = issue_through_the_page(client_for(referent))
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    events = events_of(response)
    assert len(events) == 3
    assert sorted(str(e["status"]) for e in events) == ["CANCELLED", "CONFIRMED", "CONFIRMED"]
    body = response.content.decode()
    assert "Amina B." in body
    for private in ("Benali", "BENALI", "RQTH", person.email, "06 12 34 56 78", "1990"):
        assert private not in body
    assert CalendarFeed.objects.get(user=referent.user).last_used_at is not None


def test_feed_only_stores_a_digest_of_the_token(referent):
    token = feeds.issue(referent.user)
    stored = CalendarFeed.objects.get(user=referent.user)
    assert token not in stored.token_digest
    assert stored.token_digest == feeds.digest(token)


@pytest.mark.parametrize("token", ["mauvais-jeton", "x" * 43, "a" * 200])
def test_wrong_token_gets_404(client, referent, token):
    feeds.issue(referent.user)
    assert client.get(feed_url(token)).status_code == 404


def test_revoked_and_regenerated_tokens_stop_working(client, client_for, referent):
    first = feeds.issue(referent.user)
    second = feeds.issue(referent.user)
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(feed_url(second)).status_code == 200
    member_client = client_for(referent)
    member_client.post(reverse("appointments:feed_revoke"))
    member_client.logout()
    assert client.get(feed_url(second)).status_code == 404
    assert not CalendarFeed.objects.exists()
    summaries = [event.summary for event in events_for(referent.user)]
    assert summaries == [
        "Lien d'agenda privé révoqué",
        "Lien d'agenda privé régénéré (l'ancien lien ne fonctionne plus)",
        "Lien d'agenda privé créé",
    ]


def test_feed_stops_for_a_deactivated_account(client, referent):
    token = feeds.issue(referent.user)
    referent.user.is_active = False
    referent.user.save()
    assert client.get(feed_url(token)).status_code == 404


def test_feed_leaves_out_structures_the_counsellor_has_left(
    client, referent, make_appointment, make_member
):
    make_appointment(starts_at=local(1, 9))
    former = make_member(Role.REFERENT, user=referent.user)
    AppointmentFactory(
        person=PersonFactory(owner_structure=former.structure),
        counsellor=referent.user,
        starts_at=local(1, 11),
    )
    token = feeds.issue(referent.user)
    assert len(events_of(client.get(feed_url(token)))) == 2
    former.is_active = False
    former.deactivated_at = timezone.now()
    former.save()
    assert len(events_of(client.get(feed_url(token)))) == 1


def test_feed_covers_recent_history_and_the_year_ahead(client, referent, make_appointment):
    make_appointment(starts_at=local(-90, 9))
    make_appointment(starts_at=local(-30, 9))
    make_appointment(starts_at=local(300, 9))
    token = feeds.issue(referent.user)
    assert len(events_of(client.get(feed_url(token)))) == 2


def test_feed_management_needs_a_membership(client, client_for, make_member):
    assert client.post(reverse("appointments:feed_issue")).status_code == 302  # to login
    funder = make_member(Role.FUNDER)
    assert client_for(funder).post(reverse("appointments:feed_issue")).status_code == 403
    assert not CalendarFeed.objects.exists()
