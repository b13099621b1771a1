"""At 375 px (a phone, or the tablet at the door held upright), the agenda, the attendance page
and the public registration page never scroll sideways; axe on the attendance page."""

from datetime import timedelta

from django.utils import timezone

from tests.browser.test_small_screens import OVERFLOW, PHONE
from tests.events.factories import EventFactory, SessionFactory
from tests.factories import TEST_PASSWORD
from tests.people.factories import PersonFactory
from tisserand.core.actor import Actor
from tisserand.events import services
from tisserand.events.models import Visibility
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.roles import Role


def test_events_pages_fit_a_phone(page, login, make_member, structure, assert_accessible):
    load_vocabularies()
    officer = make_member(Role.BUSINESS, structure=structure)
    event = EventFactory(
        structure=structure,
        visibility=Visibility.PUBLIC,
        title="Réunion d'information collective sur les métiers de la logistique",
    )
    session = SessionFactory(event=event, capacity=30)
    for person in PersonFactory.create_batch(4):
        services.register(session, participant={"person": person}, actor=Actor.of(officer))
    started = SessionFactory(
        event=event,
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    page.set_viewport_size(PHONE)
    login(officer.user.email, TEST_PASSWORD)
    for url in (
        "/evenements/",
        "/evenements/?vue=mois",
        f"/evenements/{event.public_id}/",
        f"/evenements/seances/{session.public_id}/presences/",
        f"/evenements/seances/{started.public_id}/presences/",
        f"/evenements-publics/{event.public_id}/",
    ):
        page.goto(url)
        overflow = page.evaluate(OVERFLOW)
        assert overflow["page"] <= 0, (url, overflow["culprits"])
    page.goto(f"/evenements/seances/{session.public_id}/presences/")
    assert_accessible(page)
