"""Merging two records of one structure: every relation follows, the timeline says so."""

import datetime

import pytest
from django.urls import reverse

from tests.people.factories import ConsentFactory, PersonFactory, follow
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.people.merging import MergeError, merge_persons
from tisserand.people.models import (
    Consent,
    FollowUpMember,
    FollowUpRole,
    Note,
    Person,
    PublicStatus,
)
from tisserand.structures.roles import Role


@pytest.fixture
def duplicate(structure, referent):
    duplicate = PersonFactory(
        owner_structure=structure,
        first_name="Amina",
        last_name="Ben Ali",
        phone="06 00 00 00 00",
        birth_date=datetime.date(1990, 5, 17),
    )
    follow(duplicate, referent)
    return duplicate


def test_relations_and_timeline_follow_the_surviving_record(
    person, duplicate, referent, structure, make_member, other_structure
):
    colleague = make_member(Role.BUSINESS, structure)
    follow(duplicate, colleague, FollowUpRole.TEAM)
    PublicStatus.objects.create(person=duplicate, kind="rsa", valid_from=datetime.date(2024, 1, 1))
    Note.objects.create(
        person=duplicate, author=referent.user, structure=structure, text="Premier entretien"
    )
    ConsentFactory(person=duplicate, structure=other_structure, scopes=["identity"])
    timeline.record(duplicate, TimelineEvent.Verb.ACTION, "Événement de la fiche en double")
    timeline.record(structure, TimelineEvent.Verb.ACTION, "Un rendez-vous", about=duplicate)

    merge_persons(person, duplicate, actor=referent.user, structure=structure)

    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert PublicStatus.objects.get().person == person
    assert Note.objects.get().person == person
    assert Consent.objects.get().person == person
    # The référent already followed the survivor: the duplicate's seat is closed, not doubled.
    active = FollowUpMember.objects.filter(person=person, is_active=True)
    assert sorted(active.values_list("user_id", flat=True)) == sorted(
        [referent.user_id, colleague.user_id]
    )
    assert FollowUpMember.objects.filter(person=person, is_active=False).count() == 1
    summaries = list(timeline.events_about(person).values_list("summary", flat=True))
    assert "Événement de la fiche en double" in summaries and "Un rendez-vous" in summaries
    merge_event = timeline.events_for(person).first()
    assert merge_event.summary.startswith("Fusion : la fiche en double Amina BEN ALI")
    assert merge_event.actor == referent.user
    # Blank contact fields of the survivor are completed.
    person.refresh_from_db()
    assert person.phone == "06 00 00 00 00"
    assert {"field": "téléphone", "before": "—", "after": "06 00 00 00 00"} in merge_event.changes


def test_every_model_pointing_to_persons_is_covered():
    """Relations are discovered: other apps' models (appointments, accompaniments…) included."""
    related = {relation.related_model for relation in Person._meta.related_objects}
    assert {FollowUpMember, PublicStatus, Consent, Note} <= related


def test_related_rows_of_other_apps_are_repointed(person, duplicate, referent, structure):
    for relation in Person._meta.related_objects:
        if relation.related_model._meta.app_label == "appointments":
            break
    else:
        pytest.skip("the appointments app has no model pointing to persons yet")
    from tests.appointments.factories import AppointmentFactory

    appointment = AppointmentFactory(person=duplicate, structure=structure)
    merge_persons(person, duplicate, actor=referent.user, structure=structure)
    appointment.refresh_from_db()
    assert appointment.person == person


def test_records_of_two_structures_are_not_merged(person, other_structure, referent):
    stranger = PersonFactory(owner_structure=other_structure)
    with pytest.raises(MergeError, match="même structure"):
        merge_persons(person, stranger, actor=referent.user, structure=referent.structure)
    assert Person.objects.filter(pk=stranger.pk).exists()


def test_a_record_is_not_merged_with_itself(person, referent):
    with pytest.raises(MergeError):
        merge_persons(person, person, actor=referent.user, structure=referent.structure)


def test_merge_pages(client_for, referent, person, duplicate):
    client = client_for(referent)
    page = client.get(reverse("people:merge", args=[person.public_id])).content.decode()
    confirm_url = reverse("people:merge_confirm", args=[person.public_id, duplicate.public_id])
    assert confirm_url in page  # suggested as a probable duplicate
    page = client.get(
        reverse("people:merge", args=[person.public_id]), {"q": "ben ali"}
    ).content.decode()
    assert confirm_url in page
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()


def test_merge_needs_the_right_on_both_records(client_for, make_member, structure, person):
    member = make_member(Role.REFERENT, structure)
    follow(person, member)
    unfollowed = PersonFactory(owner_structure=structure)
    url = reverse("people:merge_confirm", args=[person.public_id, unfollowed.public_id])
    assert client_for(member).post(url).status_code == 403
    assert Person.objects.filter(pk=unfollowed.pk).exists()


def test_directors_and_partners_do_not_merge(
    client_for, make_member, structure, other_structure, person, duplicate
):
    url = reverse("people:merge_confirm", args=[person.public_id, duplicate.public_id])
    director = make_member(Role.DIRECTOR, structure)
    partner = make_member(Role.PARTNER, other_structure)
    for who in (person, duplicate):
        ConsentFactory(person=who, structure=other_structure, scopes=["identity"])
    for member in (director, partner):
        assert client_for(member).post(url).status_code == 403
    assert Person.objects.filter(pk=duplicate.pk).exists()
