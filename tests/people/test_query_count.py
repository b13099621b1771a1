"""The person page's number of queries is bounded and does not grow with the history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MembershipFactory, StructureFactory
from tests.people.factories import ConsentFactory, follow
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.people.models import FollowUpRole, Note, PublicStatus
from tisserand.structures.roles import Role

# Queries of the person page itself (session, membership, person, access, log, sections…) plus
# the panels other apps register; raise it only with a reason.
MAX_QUERIES = 40


def add_history(person, referent, size):
    structure = referent.structure
    for index in range(size):
        timeline.record(
            person, TimelineEvent.Verb.ACTION, f"Événement {index}", actor=referent.user
        )
        Note.objects.create(person=person, author=referent.user, structure=structure, text="n")
        PublicStatus.objects.create(
            person=person,
            kind="rqth" if index % 2 else "rsa",
            valid_from=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
        )
        ConsentFactory(person=person, structure=StructureFactory(), scopes=["identity"])
        follow(person, MembershipFactory(structure=structure), FollowUpRole.TEAM)


def page_queries(client, person):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("people:detail", args=[person.public_id]))
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("role", [Role.REFERENT, Role.ADMIN])
def test_person_page_queries_do_not_grow_with_history(
    client_for, referent, person, make_member, structure, role, django_assert_max_num_queries
):
    viewer = referent if role == Role.REFERENT else make_member(role, structure)
    client = client_for(viewer)
    add_history(person, referent, 2)
    page_queries(client, person)  # warms the process's content-type cache, whatever ran before
    small = page_queries(client, person)
    add_history(person, referent, 30)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = page_queries(client, person)
    assert large == small


def test_derived_statuses_cost_no_query(client_for, referent, person):
    client = client_for(referent)
    page_queries(client, person)  # warms the process's content-type cache, whatever ran before
    without = page_queries(client, person)
    person.birth_date = datetime.date(datetime.date.today().year - 20, 1, 1)
    person.qpv_status, person.qpv_precision = "in_qpv", "address"
    person.qpv_code, person.qpv_name = "QN05912M", "Alma"
    person.qpv_determined_on = datetime.date(2025, 2, 3)
    person.save()
    response = client.get(reverse("people:detail", args=[person.public_id]))
    assert response.content.decode().count("Déduit de") == 2
    assert page_queries(client, person) == without


def test_list_queries_do_not_grow_with_persons(client_for, make_member, structure):
    from tests.people.factories import PersonFactory

    admin = make_member(Role.ADMIN, structure)
    client = client_for(admin)
    PersonFactory.create_batch(2, owner_structure=structure)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("people:list"))
    PersonFactory.create_batch(20, owner_structure=structure)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("people:list"))
    assert len(large.captured_queries) == len(small.captured_queries)
