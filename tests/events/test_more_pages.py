"""The leader portal, the feeds, the satisfaction survey, the message templates and the
funders' mentions on the sign-in sheet."""

import datetime
from datetime import timedelta

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.companies.factories import ContactFactory, HrClubFactory, LeaderAccountFactory
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import UserFactory
from tests.people.factories import PersonFactory
from tisserand.companies.models import HrClubMember
from tisserand.events import documents, links, services
from tisserand.events.models import (
    MessageTemplate,
    ProgrammeBranding,
    Registration,
    SatisfactionAnswer,
    Status,
)
from tisserand.structures.roles import Role


def test_a_leader_registers_to_their_clubs_meeting(client, structure):
    club = HrClubFactory(structure=structure)
    contact = ContactFactory()
    HrClubMember.objects.create(
        club=club, establishment=contact.establishment, joined_on=datetime.date(2025, 1, 1)
    )
    account = LeaderAccountFactory(establishment=contact.establishment, contact=contact)
    meeting = EventFactory(structure=structure, event_type="hr_club", hr_club=club)
    session = SessionFactory(event=meeting)
    other_club_meeting = SessionFactory(
        event=EventFactory(structure=structure, hr_club=HrClubFactory(structure=structure))
    )
    client.force_login(account.user)
    url = reverse("events:portal", args=[contact.establishment.public_id])
    page = client.get(url).content.decode()
    assert meeting.title in page and other_club_meeting.event.title not in page
    client.post(url, {"session": session.public_id, "action": "register"})
    registration = Registration.objects.get(contact=contact)
    assert registration.status == Status.REGISTERED
    # Another club's meeting cannot be reached through the portal.
    client.post(url, {"session": other_club_meeting.public_id, "action": "register"})
    assert Registration.objects.count() == 1
    client.post(url, {"session": session.public_id, "action": "cancel"})
    assert Registration.objects.get().status == Status.CANCELLED
    # Somebody who does not lead the company gets a 404.
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_private_feed_of_a_counsellor(client_for, referent, person, session):
    services.register(session, participant={"person": person}, actor=_actor(referent))
    client = client_for(referent)
    response = client.post(reverse("events:feed_issue"))
    assert response.status_code == 302
    message = [str(m) for m in response.wsgi_request._messages][0]
    token = message.rsplit("/flux/", 1)[1].removesuffix(".ics")
    feed = client.get(reverse("events:feed", args=[token]))
    assert feed["Content-Type"].startswith("text/calendar")
    assert session.event.title.encode() in feed.content
    assert client.get(reverse("events:feed", args=["inconnu"])).status_code == 404


def _actor(membership):
    from tisserand.core.actor import Actor

    return Actor.of(membership)


def test_personal_calendar_and_satisfaction(client, session, organiser_actor):
    registration = services.register(
        session, participant={"person": PersonFactory()}, actor=organiser_actor
    )
    token = links.token_for(registration)
    ics = client.get(reverse("events:personal_ics", args=[token]))
    assert b"BEGIN:VEVENT" in ics.content
    services.record_attendance(
        session,
        {str(registration.public_id): Status.PRESENT},
        actor=organiser_actor,
        now=session.starts_at + timedelta(minutes=1),
    )
    url = reverse("events:personal_satisfaction", args=[token])
    assert client.post(url, {}).status_code == 200  # no rating: re-displayed
    assert not SatisfactionAnswer.objects.exists()
    assert client.post(url, {"rating": "4", "useful": "oui"}).status_code == 302
    answer = SatisfactionAnswer.objects.get()
    assert (answer.rating, answer.useful) == (4, True)


def test_the_administrator_writes_a_message_template_used_by_the_messages(
    client_for, make_member, structure, session, organiser_actor, django_capture_on_commit_callbacks
):
    admin = make_member(Role.ADMIN, structure)
    response = client_for(admin).post(
        reverse("events:message_templates"),
        {
            "event_type": "workshop",
            "kind": "confirmation",
            "subject": "C'est noté pour {titre}",
            "body": "Bonjour {nom}, à bientôt : {seance}.",
        },
    )
    assert response.status_code == 302
    assert MessageTemplate.objects.get().structure == structure
    with django_capture_on_commit_callbacks(execute=True):
        services.register(
            session,
            participant={"person": PersonFactory(email="x@exemple.invalid")},
            actor=organiser_actor,
        )
    assert mail.outbox[-1].subject == f"C'est noté pour {session.event.title}"
    assert "Ne plus recevoir de messages" in mail.outbox[-1].body


def test_the_sign_in_sheet_carries_the_programmes_mentions(client_for, make_member, structure):
    admin = make_member(Role.ADMIN, structure)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
    client_for(admin).post(
        reverse("events:brandings"),
        {
            "programme_code": "plie",
            "label": "PLIE",
            "mentions": "Cofinancé par le FSE+",
            "logo_file": SimpleUploadedFile("logo.png", png, content_type="image/png"),
        },
    )
    branding = ProgrammeBranding.objects.get()
    assert branding.logo_type == "image/png"
    bad = client_for(admin).post(
        reverse("events:brandings"),
        {
            "programme_code": "x",
            "label": "X",
            "mentions": "m",
            "logo_file": SimpleUploadedFile("logo.gif", b"GIF89a", content_type="image/gif"),
        },
    )
    assert "PNG, JPEG ou SVG" in bad.content.decode()
    assert ProgrammeBranding.objects.count() == 1
    session = SessionFactory(event=EventFactory(structure=structure, programme_code="plie"))
    html = documents.render_to_string(
        "events/pdf/sign_in_sheet.html",
        {
            "session": session,
            "event": session.event,
            "pages": documents.sheet_pages([]),
            "count": 0,
            "branding": ProgrammeBranding.objects.get(),
            "logo": "",
            "printed_at": timezone.now(),
            "row_height": "9.5",
            "line_at": "9.3",
            "grid_height": "228",
        },
    )
    assert "Cofinancé par le FSE+" in html


def test_only_the_organiser_adds_a_company_to_a_job_dating(
    client_for, organiser, structure, make_member
):
    from tests.companies.factories import EstablishmentFactory
    from tisserand.events.models import EventCompany

    dating = EventFactory(structure=structure, event_type="job_dating", visibility="network")
    SessionFactory(event=dating)
    establishment = EstablishmentFactory()
    url = reverse("events:company_add", args=[dating.public_id])
    outsider = make_member(Role.BUSINESS)
    assert client_for(outsider).post(url, {"establishment": establishment.pk}).status_code == 403
    assert (
        client_for(outsider).get(reverse("events:companies", args=[dating.public_id])).status_code
        == 200
    )
    assert not EventCompany.objects.exists()
    assert client_for(organiser).post(url, {"establishment": establishment.pk}).status_code == 302
    assert EventCompany.objects.get().slots.count() == 6  # 2 hours of 20-minute interviews
