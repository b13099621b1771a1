"""The events pages through the views: who sees whose registration, bad input refused with a
French message and nothing changed, the public registration, attendance, the documents."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.events.factories import EventFactory, SessionFactory, soon
from tests.people.factories import PersonFactory, follow
from tisserand.core.actor import Actor
from tisserand.events import links, services
from tisserand.events.models import Event, Registration, Session, Status, Visibility
from tisserand.structures.roles import Role


@pytest.fixture
def network_event(event):
    event.visibility = Visibility.NETWORK
    event.save()
    return event


@pytest.fixture
def counsellor_registration(network_event, session, make_member, other_structure):
    """A référent of another structure registers a person they follow."""
    counsellor = make_member(Role.REFERENT, other_structure)
    person = PersonFactory(
        owner_structure=other_structure, first_name="Yasmine", last_name="Haddad"
    )
    follow(person, counsellor)
    registration = services.register(
        session, participant={"person": person}, actor=Actor.of(counsellor)
    )
    return counsellor, registration


def _detail(client, event):
    response = client.get(reverse("events:detail", args=[event.public_id]))
    assert response.status_code == 200
    return response.content.decode().lower()


def test_a_persons_registration_is_seen_by_their_counsellor_and_the_organiser_only(
    client_for, network_event, organiser, counsellor_registration, make_member
):
    counsellor, _ = counsellor_registration
    assert "haddad" in _detail(client_for(counsellor), network_event)
    assert "haddad" in _detail(client_for(organiser), network_event)
    outsider = make_member(Role.PARTNER)  # another partner structure of the network
    page = _detail(client_for(outsider), network_event)
    assert "haddad" not in page
    assert "1 / 3" in page  # the seats are counted, not named


def test_an_internal_event_is_not_seen_by_another_structure(client_for, event, make_member):
    response = client_for(make_member(Role.REFERENT)).get(
        reverse("events:detail", args=[event.public_id])
    )
    assert response.status_code == 403


def test_the_counsellor_registers_only_persons_they_see(
    client_for, network_event, session, make_member, person, referent
):
    stranger = PersonFactory()
    client = client_for(referent)
    url = reverse("events:register", args=[network_event.public_id])
    response = client.post(
        url, {"session": session.pk, "persons": [stranger.pk], "action": "register"}
    )
    assert response.status_code == 200  # re-displayed: not a choice
    assert not Registration.objects.exists()
    response = client.post(url, {"session": session.pk, "persons": [person.pk], "action": "invite"})
    assert response.status_code == 302
    assert Registration.objects.get().status == Status.INVITED


def test_a_session_in_the_past_is_refused_with_a_french_message(client_for, organiser, event):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_for(organiser).post(
        reverse("events:session_add", args=[event.public_id]),
        {"day": yesterday.isoformat(), "start": "10:00", "duration": 60, "capacity": 10},
    )
    assert response.status_code == 200
    assert "La séance ne peut pas commencer dans le passé." in response.content.decode()
    assert not event.sessions.exists()


def test_capacity_below_the_count_is_refused_and_nothing_changes(
    client_for, organiser, session, organiser_actor
):
    for person in PersonFactory.create_batch(2):
        services.register(session, participant={"person": person}, actor=organiser_actor)
    local = timezone.localtime(session.starts_at)
    response = client_for(organiser).post(
        reverse("events:session_edit", args=[session.public_id]),
        {"day": local.date().isoformat(), "start": "10:00", "duration": 120, "capacity": 1},
    )
    assert "inférieur au nombre d&#x27;inscrits (2)" in response.content.decode()
    session.refresh_from_db()
    assert (session.capacity, session.seats_taken) == (3, 2)


def test_officer_creates_an_event_with_its_first_session(client_for, organiser):
    day = timezone.localdate() + timedelta(days=10)
    response = client_for(organiser).post(
        reverse("events:create"),
        {
            "event_type": "workshop",
            "title": "Atelier numérique",
            "audience": "residents",
            "visibility": "public",
            "address_line": "40 rue du Grand Chemin",
            "slot_minutes": 20,
            "day": day.isoformat(),
            "start": "14:00",
            "duration": 120,
            "capacity": 12,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title="Atelier numérique")
    assert event.sessions.get().capacity == 12
    assert event.starts_at == event.sessions.get().starts_at


def test_public_self_registration_with_consent_and_confirmation(client, event, session):
    event.visibility = Visibility.PUBLIC
    event.save()
    url = reverse("events:public_detail", args=[event.public_id])
    data = {
        "session": session.pk,
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea@exemple.invalid",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Registration.objects.exists()  # no consent, nothing stored
    with pytest.MonkeyPatch.context():
        from django.test.testcases import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(url, {**data, "consent": "on"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == Status.REGISTERED and registration.consented_at
    assert mail.outbox[-1].subject == f"Inscription confirmée : {event.title}"
    personal = client.get(response.url)
    assert "Annuler mon inscription" in personal.content.decode()
    client.post(response.url, {"action": "cancel"})
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_an_internal_event_has_no_public_page(client, event, session):
    assert client.get(reverse("events:public_detail", args=[event.public_id])).status_code == 404


def test_invitation_link_confirms(client, session, organiser_actor):
    registration = services.register(
        session, participant={"person": PersonFactory()}, actor=organiser_actor, invite=True
    )
    url = reverse("events:personal", args=[links.token_for(registration)])
    client.post(url, {"action": "confirm"})
    assert Registration.objects.get(pk=registration.pk).status == Status.REGISTERED
    assert client.get(reverse("events:personal", args=["x" * 40])).status_code == 404


def test_attendance_page_and_sign_in_sheet(client_for, organiser, session, organiser_actor):
    registrations = [
        services.register(session, participant={"person": p}, actor=organiser_actor)
        for p in PersonFactory.create_batch(2)
    ]
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    client = client_for(organiser)
    url = reverse("events:attendance", args=[session.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            f"p-{registrations[0].public_id}": "present",
            f"p-{registrations[1].public_id}": "absent",
        },
    )
    assert response.status_code == 302
    assert sorted(Registration.objects.values_list("status", flat=True)) == ["absent", "present"]
    pdf = client.get(reverse("events:sign_in_sheet", args=[session.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_participants_export(client_for, organiser, session, event, organiser_actor):
    services.register(
        session, participant={"person": PersonFactory(last_name="Dupont")}, actor=organiser_actor
    )
    response = client_for(organiser).get(reverse("events:export", args=[event.public_id]))
    from io import BytesIO

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Participant" and "DUPONT" in rows[1][1]


def test_agenda_query_count_does_not_grow(client_for, organiser, structure):
    client = client_for(organiser)

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("events:agenda"))
        assert response.status_code == 200
        return len(context.captured_queries)

    for n in range(3):
        SessionFactory(event=EventFactory(structure=structure), starts_at=soon(days=n + 1))
    queries()
    few = queries()
    for n in range(15):
        SessionFactory(event=EventFactory(structure=structure), starts_at=soon(days=n + 1))
    assert queries() == few
    for view in ("semaine", "mois"):
        response = client.get(reverse("events:agenda"), {"vue": view})
        assert response.status_code == 200


def test_event_page_query_count_does_not_grow(client_for, organiser, session, organiser_actor):
    client = client_for(organiser)

    def queries():
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("events:detail", args=[session.event.public_id]))
        return len(context.captured_queries)

    services.register(session, participant={"person": PersonFactory()}, actor=organiser_actor)
    queries()
    few = queries()
    for person in PersonFactory.create_batch(6):
        services.register(session, participant={"person": person}, actor=organiser_actor)
    assert queries() == few


def test_a_partner_professional_registers_their_own_people_only(
    client_for, network_event, session, make_member, other_structure
):
    partner = make_member(Role.PARTNER, other_structure)
    own = PersonFactory(owner_structure=other_structure, last_name="Bensaïd")
    follow(own, partner)
    someone_else = PersonFactory(owner_structure=other_structure)
    client = client_for(partner)
    url = reverse("events:register", args=[network_event.public_id])
    page = client.get(url).content.decode().lower()
    assert "bensaïd" in page and someone_else.last_name.lower() not in page
    client.post(url, {"session": session.pk, "persons": [own.pk], "action": "register"})
    registration = Registration.objects.get()
    assert registration.registered_by_structure == other_structure
    # The public registrant of the same session is not shown to the partner.
    services.register(
        session,
        participant={
            "first_name": "Léa",
            "last_name": "Publique",
            "email": "lea@exemple.invalid",
            "consent_text": "ok",
        },
    )
    page = _detail(client, network_event)
    assert "bensaïd" in page and "publique" not in page


def test_satisfaction_per_type(client_for, organiser, session, organiser_actor):
    registration = services.register(
        session, participant={"person": PersonFactory()}, actor=organiser_actor
    )
    services.record_attendance(
        session,
        {str(registration.public_id): Status.PRESENT},
        actor=organiser_actor,
        now=session.starts_at + timedelta(minutes=1),
    )
    registration.refresh_from_db()
    services.answer_satisfaction(registration, data={"rating": 4})
    page = client_for(organiser).get(reverse("events:satisfaction")).content.decode()
    assert "Atelier" in page and "4,0" in page
    detail = _detail(client_for(organiser), session.event)
    assert "1 réponse ; note moyenne 4,0 sur 5" in detail
