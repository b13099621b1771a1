"""Issue 9, point 10: the access log grouped into visits, filtered, exported; the record's own
openings shown to its référent."""

import datetime
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import StructureFactory
from tests.people.factories import PersonFactory, follow
from tisserand.core.access_log import grouped_visits
from tisserand.core.models import RecordAccess
from tisserand.people.models import FollowUpRole, Person
from tisserand.structures.roles import Role

START = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))


@pytest.fixture
def admin(make_member, structure):
    return make_member(Role.ADMIN, structure)


@pytest.fixture
def referent(make_member, structure):
    return make_member(Role.REFERENT, structure)


@pytest.fixture
def person(structure, referent):
    person = PersonFactory(owner_structure=structure, first_name="Amina", last_name="Benali")
    follow(person, referent)
    return person


def opened(person, membership, *minutes, acting=None):
    for minute in minutes:
        RecordAccess.objects.create(
            user=membership.user,
            acting_structure=acting or membership.structure,
            owner_structure=person.owner_structure,
            subject_type=ContentType.objects.get_for_model(Person),
            subject_id=str(person.pk),
            subject_label=str(person),
            path="/",
            accessed_at=START + datetime.timedelta(minutes=minute),
        )


def log_url(structure, **query):
    url = reverse("structures:access_log", args=[structure.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_consecutive_openings_are_one_visit(person, referent):
    # 18 openings in two minutes, then again 40 minutes later, and one by the same user for
    # another structure in between.
    opened(person, referent, *[i / 9 for i in range(18)], 10, 50)
    opened(person, referent, 5, acting=StructureFactory())
    visits = grouped_visits(RecordAccess.objects.all())
    assert [(v.count, v.first.minute, v.last.minute) for v in visits] == [
        (1, 50, 50),
        (1, 5, 5),
        (19, 0, 10),
    ]


def test_the_page_lists_visits_with_a_count_and_their_times(client_for, admin, person, referent):
    opened(person, referent, *range(18))
    page = client_for(admin).get(log_url(admin.structure)).content.decode()
    assert "1 consultation" in page
    assert "<td>18</td>" in page
    assert "02/03/2026 09:00" in page and "09:17" in page


def test_filters_by_person_user_structure_and_date(
    client_for, admin, person, referent, make_member
):
    other = PersonFactory(owner_structure=person.owner_structure, last_name="Dupré")
    colleague = make_member(Role.REFERENT, person.owner_structure)
    partner = StructureFactory(name="Mission locale")
    opened(person, referent, 0)
    opened(other, colleague, 0)
    opened(person, colleague, 24 * 60, acting=partner)
    client = client_for(admin)

    def listed(**query):
        response = client.get(log_url(admin.structure, **query))
        return response.context["page_obj"].paginator.count

    assert listed() == 3
    assert listed(person="dupr") == 1
    assert listed(user=colleague.user.pk) == 2
    assert listed(acting_structure=partner.pk) == 1
    assert listed(since="2026-03-03") == 1
    assert listed(until="2026-03-02") == 2
    response = client.get(log_url(admin.structure, since="2026-03-03", until="2026-03-01"))
    assert "précède son début" in response.context["filters"].errors["until"][0]
    assert response.context["page_obj"].paginator.count == 0


def test_the_export_is_exactly_the_filtered_list(client_for, admin, person, referent):
    other = PersonFactory(owner_structure=person.owner_structure, last_name="Dupré")
    opened(person, referent, 0, 1, 2)
    opened(other, referent, 0)
    url = reverse("structures:access_log_export", args=[admin.structure.public_id])
    response = client_for(admin).get(url + "?person=benali")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Dossier",
        "Utilisateur",
        "Au titre de",
        "Première ouverture",
        "Dernière ouverture",
        "Ouvertures",
    )
    assert len(rows) == 2
    assert rows[1][0] == str(person) and rows[1][5] == 3
    assert rows[1][3] == datetime.datetime(2026, 3, 2, 9, 0)


@pytest.mark.parametrize("role", [Role.REFERENT, Role.DIRECTOR])
def test_only_the_owner_structures_administrator_reads_and_exports(
    client_for, make_member, structure, person, referent, role
):
    opened(person, referent, 0)
    client = client_for(make_member(role, structure))
    assert client.get(log_url(structure)).status_code == 403
    url = reverse("structures:access_log_export", args=[structure.public_id])
    assert client.get(url).status_code == 403


def test_another_structures_administrator_cannot_export_this_log(
    client_for, make_member, structure, other_structure, person, referent
):
    opened(person, referent, 0)
    other_admin = make_member(Role.ADMIN, other_structure)
    url = reverse("structures:access_log_export", args=[structure.public_id])
    assert client_for(other_admin).get(url).status_code == 403


def test_the_log_costs_the_same_queries_for_10_or_200_openings(client_for, admin, person):
    readers = [
        PersonFactory(owner_structure=person.owner_structure, last_name=f"Lecteur {i}")
        for i in range(3)
    ]
    client = client_for(admin)

    def queries(openings):
        for index in range(openings):
            opened(readers[index % 3], admin, index * 60)
        with CaptureQueriesContext(connection) as context:
            assert client.get(log_url(admin.structure)).status_code == 200
            export = reverse("structures:access_log_export", args=[admin.structure.public_id])
            assert client.get(export).status_code == 200
        return len(context)

    few = queries(10)
    assert queries(190) == few


def person_page(client, person):
    return client.get(reverse("people:detail", args=[person.public_id])).content.decode()


def test_the_referent_sees_who_opened_the_record(client_for, make_member, person, referent):
    colleague = make_member(Role.REFERENT, person.owner_structure)
    follow(person, colleague, FollowUpRole.TEAM)
    opened(person, colleague, 0, 1, 2)
    page = person_page(client_for(referent), person)
    assert "Qui a ouvert ce dossier" in page
    assert str(colleague.user) in page
    assert "<td>3</td>" in page


@pytest.mark.parametrize("role", ["member", Role.ADMIN, Role.DIRECTOR])
def test_nobody_else_sees_who_opened_the_record(client_for, make_member, person, referent, role):
    if role == "member":
        viewer = make_member(Role.REFERENT, person.owner_structure)
        follow(person, viewer, FollowUpRole.TEAM)
    else:
        viewer = make_member(role, person.owner_structure)
    page = person_page(client_for(viewer), person)
    assert "Prénom" in page or "Identité" in page
    assert "Qui a ouvert ce dossier" not in page
