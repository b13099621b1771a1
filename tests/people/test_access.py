"""Who opens a person's record, what they see of it, and the access log of each opening."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.people.factories import ConsentFactory, PersonFactory, follow
from tisserand.core.models import RecordAccess
from tisserand.people.models import FollowUpRole, PublicStatus
from tisserand.structures.roles import Role

PAGES = ["detail", "edit", "statuses", "consents", "notes", "merge"]


def url(name, person):
    return reverse(f"people:{name}", args=[person.public_id])


@pytest.fixture
def rqth(person):
    return PublicStatus.objects.create(
        person=person, kind="rqth", valid_from=datetime.date(2024, 1, 1), proof="Notification MDPH"
    )


def test_anonymous_user_is_sent_to_login(client, person):
    for name in PAGES:
        response = client.get(url(name, person))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert client.get(reverse("people:list")).status_code == 302


def test_user_without_membership_is_refused(client, person):
    client.force_login(UserFactory())
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(reverse("people:create")).status_code == 403
    assert client.get(url("detail", person)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_referent_opens_every_page(client_for, referent, person, name):
    assert client_for(referent).get(url(name, person)).status_code == 200


def test_team_member_sees_and_edits(client_for, make_member, structure, person):
    member = make_member(Role.BUSINESS, structure)
    follow(person, member, FollowUpRole.TEAM)
    client = client_for(member)
    assert client.get(url("detail", person)).status_code == 200
    assert client.get(url("edit", person)).status_code == 200


@pytest.mark.parametrize(("role", "can_edit"), [(Role.ADMIN, True), (Role.DIRECTOR, False)])
def test_administrator_and_director_of_the_structure(
    client_for, make_member, structure, person, role, can_edit
):
    client = client_for(make_member(role, structure))
    assert client.get(url("detail", person)).status_code == 200
    assert client.get(url("edit", person)).status_code == (200 if can_edit else 403)
    # The journal is the référent's and the team's.
    assert client.get(url("notes", person)).status_code == 403


@pytest.mark.parametrize(
    "role", [Role.REFERENT, Role.BUSINESS, Role.CLAUSE_FACILITATOR, Role.PARTNER]
)
def test_colleague_outside_the_follow_up_is_refused(
    client_for, make_member, structure, person, role
):
    client = client_for(make_member(role, structure))
    assert client.get(url("detail", person)).status_code == 403
    assert person.first_name not in client.get(reverse("people:list")).content.decode()


def test_funder_sees_no_person(client_for, make_member, structure, person):
    client = client_for(make_member(Role.FUNDER, structure))
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(url("detail", person)).status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_nobody_of_another_structure_opens_the_record(
    client_for, make_member, other_structure, person, role
):
    client = client_for(make_member(role, other_structure))
    for name in PAGES:
        assert client.get(url(name, person)).status_code == 403
    assert not RecordAccess.objects.exists()


def test_partner_without_consent_is_refused(client_for, make_member, other_structure, person):
    partner = make_member(Role.PARTNER, other_structure)
    assert client_for(partner).get(url("detail", person)).status_code == 403


def test_partner_with_consent_sees_only_the_consented_scopes(
    client_for, make_member, other_structure, person, rqth
):
    partner = make_member(Role.PARTNER, other_structure)
    person.phone = "03 20 00 00 00"
    person.save()
    ConsentFactory(person=person, structure=other_structure, scopes=["identity"])
    client = client_for(partner)
    response = client.get(url("detail", person))
    page = response.content.decode()
    assert response.status_code == 200
    assert "03 20 00 00 00" in page
    assert "Situation" not in page and "Statuts publics" not in page
    assert "Historique" not in page and "Équipe de suivi" not in page
    assert "RQTH" not in page
    for name in ["edit", "statuses", "consents", "notes", "merge"]:
        assert client.get(url(name, person)).status_code == 403
    assert person.first_name in client.get(reverse("people:list")).content.decode()


def test_partner_with_situation_consent_never_sees_special_category(
    client_for, make_member, other_structure, person, rqth
):
    partner = make_member(Role.PARTNER, other_structure)
    ConsentFactory(person=person, structure=other_structure, scopes=["situation"])
    client = client_for(partner)
    page = client.get(url("detail", person)).content.decode()
    assert "Statuts publics" in page and "RQTH" not in page
    page = client.get(url("statuses", person)).content.decode()
    assert "Travailleur handicapé" not in page and "Notification MDPH" not in page


def test_withdrawn_consent_closes_the_record(
    client_for, make_member, other_structure, person, referent
):
    partner = make_member(Role.PARTNER, other_structure)
    consent = ConsentFactory(person=person, structure=other_structure, scopes=["identity"])
    assert client_for(partner).get(url("detail", person)).status_code == 200
    response = client_for(referent).post(
        reverse("people:consent_withdraw", args=[person.public_id, consent.pk])
    )
    assert response.status_code == 302
    assert client_for(partner).get(url("detail", person)).status_code == 403


def test_special_category_shown_to_the_referent_and_each_display_logged(
    client_for, referent, person, rqth
):
    client = client_for(referent)
    page = client.get(url("detail", person)).content.decode()
    assert "Travailleur handicapé (RQTH)" in page
    assert "Historique" in page and "Équipe de suivi" in page
    labels = list(RecordAccess.objects.values_list("subject_label", flat=True))
    assert labels.count(str(person)) == 1
    assert sum("données sensibles" in label for label in labels) == 1
    client.get(url("statuses", person))
    labels = list(RecordAccess.objects.values_list("subject_label", flat=True))
    assert sum("données sensibles" in label for label in labels) == 2


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DIRECTOR])
def test_special_category_hidden_from_administrator_and_director(
    client_for, make_member, structure, person, rqth, role
):
    client = client_for(make_member(role, structure))
    for name in ["detail", "statuses"]:
        page = client.get(url(name, person)).content.decode()
        assert "Travailleur handicapé" not in page and "Notification MDPH" not in page
    assert (
        client.get(reverse("people:status_edit", args=[person.public_id, rqth.pk])).status_code
        == 403
    )
    assert not RecordAccess.objects.filter(subject_label__contains="sensibles").exists()


def test_each_opening_is_in_the_access_log(client_for, referent, person, structure):
    client = client_for(referent)
    client.get(url("detail", person))
    client.get(url("detail", person))
    accesses = RecordAccess.objects.filter(subject_id=str(person.pk))
    assert accesses.count() == 2
    access = accesses.first()
    assert access.user == referent.user
    assert access.owner_structure == structure
    assert access.acting_structure == structure
    assert access.path == url("detail", person)


def test_list_shows_visible_persons_and_searches_names(client_for, referent, person, structure):
    hidden = PersonFactory(owner_structure=structure, first_name="Zoé", last_name="Masquée")
    other = PersonFactory(owner_structure=structure, first_name="Léa", last_name="Dupré")
    follow(other, referent)
    client = client_for(referent)
    page = client.get(reverse("people:list")).content.decode()
    assert "Amina BENALI" in page and "Léa DUPRÉ" in page and "Masquée" not in page
    page = client.get(reverse("people:list"), {"q": "dupre lea"}).content.decode()
    assert "Léa DUPRÉ" in page and "Amina" not in page
    assert hidden.pk
