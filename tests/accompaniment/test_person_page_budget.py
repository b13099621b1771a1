"""The whole person page (every app's section shown) costs a fixed number of queries.

Measured before the sections moved to ``core.records`` (four caching tricks on the person, the
request and the membership): référent 31, administrator 30, director 30, partner 26 with a
consent to every scope; without accompaniment, référent 27, administrator 25. One
``RecordContext`` per request now does it in one query fewer, or two.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accompaniment.factories import programme
from tests.appointments.factories import AppointmentFactory
from tests.people.factories import ConsentFactory, follow
from tisserand.accompaniment import services
from tisserand.core.actor import Actor
from tisserand.people.models import ConsentScope
from tisserand.structures.roles import Role

BEFORE = {Role.REFERENT: 31, Role.ADMIN: 30, Role.DIRECTOR: 30, Role.PARTNER: 26}
NOW = {Role.REFERENT: 30, Role.ADMIN: 29, Role.DIRECTOR: 29, Role.PARTNER: 25}
BARE_BEFORE = {Role.REFERENT: 27, Role.ADMIN: 25}
BARE_NOW = {Role.REFERENT: 25, Role.ADMIN: 24}
# Sections added since, with the queries they cost: « Qui a ouvert ce dossier » (the référent's
# only, one query whatever the number of openings); « Orientations vers les partenaires » (two
# queries: the structure's referrals of the person, the diagnosis's barriers; not a partner's);
# « Offres et mises en relation » (the roles that propose candidates, one query whatever the
# number of introductions); « Clauses sociales » (the clause facilitators', here the
# administrator: one query, the person's participations); « Conservation du dossier » (the
# référent's and the owner's administrator's, one query: the last contact and what keeps the
# record).
ADDED = {Role.REFERENT: 1 + 2 + 1 + 1, Role.ADMIN: 2 + 1 + 1, Role.DIRECTOR: 2, Role.PARTNER: 1}


def page_queries(client, person):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("people:detail", args=[person.public_id]))
    assert response.status_code == 200
    return len(context.captured_queries)


def viewer(role, referent, make_member, person):
    if role == Role.REFERENT:
        return referent
    if role == Role.PARTNER:
        partner = make_member(role)
        ConsentFactory(person=person, structure=partner.structure, scopes=ConsentScope.values)
        return partner
    return make_member(role, person.owner_structure)


@pytest.fixture
def followed(person, referent):
    follow(person, referent)
    return person


@pytest.mark.parametrize("role", list(NOW), ids=str)
def test_the_full_person_page_costs_fewer_queries_than_before(
    client_for, followed, referent, make_member, role
):
    services.open_accompaniment(
        followed,
        programme=programme(),
        referent=referent.user,
        entry_date=datetime.date(2025, 1, 6),
        actor=Actor.of(referent),
    )
    AppointmentFactory(person=followed, counsellor=referent.user)
    queries = page_queries(client_for(viewer(role, referent, make_member, followed)), followed)
    assert queries == NOW[role] + ADDED.get(role, 0)
    assert NOW[role] < BEFORE[role]


@pytest.mark.parametrize("role", list(BARE_NOW), ids=str)
def test_the_person_page_without_accompaniment_costs_fewer_queries_than_before(
    client_for, followed, referent, make_member, role
):
    queries = page_queries(client_for(viewer(role, referent, make_member, followed)), followed)
    assert queries == BARE_NOW[role] + ADDED.get(role, 0)
    assert BARE_NOW[role] < BARE_BEFORE[role]
