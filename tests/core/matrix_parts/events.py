"""The events app's part of the permission matrix.

A's event is internal to A: every member of A who sees personal data opens it, nobody of
another structure. Organising (edit, sessions, attendance, sign-in sheet, export, job dating
grid) is for A's roles with ``ORGANISE_EVENTS``; cancelling a person's registration for the
organiser (and the registering structure's members who see the person — the same roles here).
The public pages and the personal link (a secret token) are open to everyone; the leader
portal only to the establishment's leaders (none among the actors).
"""

from datetime import timedelta

from tests.companies.factories import EstablishmentFactory
from tests.core.matrix import (
    ADMIN,
    EVERYONE,
    NOBODY,
    SEE_PERSONAL_DATA,
    Expect,
    get_only,
    post_only,
)
from tests.events.factories import EventFactory, SessionFactory, soon
from tisserand.core.actor import Actor
from tisserand.events import feeds, links, services
from tisserand.events.models import Visibility
from tisserand.structures.roles import Role

# Written by hand (the matrix does not call the rules it checks): every role that sees
# personal data but the clause facilitator.
ORGANISE = frozenset({Role.ADMIN, Role.REFERENT, Role.BUSINESS, Role.DIRECTOR, Role.PARTNER})


def _event(demo):
    return {"public_id": demo.events_event.public_id}


def _session(demo):
    return {"public_id": demo.events_session.public_id}


def _token(demo):
    return {"token": demo.events_token}


EXPECTED = {
    "events:agenda": get_only(SEE_PERSONAL_DATA),
    "events:create": Expect(ORGANISE),
    "events:satisfaction": get_only(ORGANISE),
    "events:feed_issue": post_only(SEE_PERSONAL_DATA),
    "events:feed": get_only(
        EVERYONE, other=EVERYONE, kwargs=lambda demo: {"token": demo.events_feed_token}
    ),
    "events:detail": get_only(SEE_PERSONAL_DATA, kwargs=_event),
    "events:edit": Expect(ORGANISE, kwargs=_event),
    "events:cancel": post_only(ORGANISE, kwargs=_event),
    "events:session_add": Expect(ORGANISE, kwargs=_event),
    "events:register": Expect(SEE_PERSONAL_DATA, kwargs=_event),
    "events:remind": post_only(ORGANISE, kwargs=_event),
    "events:ask_satisfaction": post_only(ORGANISE, kwargs=_event),
    "events:contacts": Expect(ORGANISE, kwargs=_event),
    "events:export": get_only(ORGANISE, kwargs=_event),
    "events:companies": get_only(SEE_PERSONAL_DATA, kwargs=_event),
    "events:company_add": post_only(ORGANISE, kwargs=_event),
    "events:propose": post_only(SEE_PERSONAL_DATA, kwargs=_event),
    "events:session_edit": Expect(ORGANISE, kwargs=_session),
    "events:attendance": Expect(ORGANISE, kwargs=_session),
    "events:sign_in_sheet": get_only(ORGANISE, kwargs=_session),
    "events:registration_cancel": post_only(
        ORGANISE, kwargs=lambda demo: {"public_id": demo.events_registration.public_id}
    ),
    "events:slot": post_only(ORGANISE, kwargs=lambda demo: {"pk": demo.events_slot.pk}),
    "events:slot_outcome": post_only(ORGANISE, kwargs=lambda demo: {"pk": demo.events_slot.pk}),
    "events:message_templates": Expect(ADMIN),
    "events:brandings": Expect(ADMIN),
    "events:public_list": get_only(EVERYONE),
    "events:public_detail": Expect(
        EVERYONE,
        other=EVERYONE,
        kwargs=lambda demo: {"public_id": demo.events_public_event.public_id},
    ),
    "events:personal": Expect(EVERYONE, other=EVERYONE, kwargs=_token),
    "events:personal_ics": get_only(EVERYONE, other=EVERYONE, kwargs=_token),
    "events:personal_satisfaction": Expect(EVERYONE, other=EVERYONE, kwargs=_token),
    "events:portal": Expect(
        NOBODY, kwargs=lambda demo: {"public_id": demo.events_establishment.public_id}
    ),
}


def build(demo):
    referent = demo.members[Role.REFERENT]
    actor = Actor.of(referent)
    event = EventFactory(structure=demo.structure, event_type="job_dating")
    session = SessionFactory(event=event, starts_at=soon(hour=9), ends_at=soon(hour=11))
    registration = services.register(session, participant={"person": demo.person}, actor=actor)
    company = services.add_company(event, establishment=EstablishmentFactory(), actor=actor)
    public_event = EventFactory(structure=demo.structure, visibility=Visibility.PUBLIC)
    SessionFactory(event=public_event, starts_at=soon() + timedelta(days=1))
    return {
        "events_event": event,
        "events_session": session,
        "events_registration": registration,
        "events_token": links.token_for(registration),
        "events_slot": company.slots.order_by("starts_at").first(),
        "events_public_event": public_event,
        "events_establishment": EstablishmentFactory(),
        "events_feed_token": feeds.issue(referent.user),
    }
