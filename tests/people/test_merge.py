"""Merging two records of one structure: every relation follows, the timeline says so."""

import datetime

import pytest
from django.urls import reverse

from tests.accompaniment.factories import AccompanimentFactory
from tests.appointments.factories import AppointmentFactory
from tests.clauses.factories import ParticipantFactory
from tests.events.factories import EventCandidateFactory, RegistrationFactory
from tests.guidance.factories import GuidanceProfileFactory, GuidanceTargetFactory
from tests.opportunities.factories import IntroductionFactory
from tests.people.factories import (
    ConsentFactory,
    FollowUpMemberFactory,
    NoteFactory,
    PersonFactory,
    PublicStatusFactory,
    follow,
)
from tests.referrals.factories import referral_row
from tisserand.core import timeline
from tisserand.core.actor import Actor
from tisserand.core.models import TimelineEvent
from tisserand.people.merging import MergeError, merge_persons
from tisserand.people.models import (
    Consent,
    FollowUpMember,
    FollowUpRole,
    Note,
    Person,
    PublicStatus,
    QpvAttestation,
    QpvResidence,
    QpvStatusChange,
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

    merge_persons(person, duplicate, actor=Actor.of(referent))

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


# One row pointing to a person, per relation to ``Person`` ("app.Model.field"), made by the
# factory of the app that owns the model. A relation added without its maker fails the test.
ROW_MAKERS = {
    "people.FollowUpMember.person": lambda person: FollowUpMemberFactory(person=person),
    "people.PublicStatus.person": lambda person: PublicStatusFactory(person=person),
    "people.Consent.person": lambda person: ConsentFactory(person=person),
    "people.Note.person": lambda person: NoteFactory(person=person),
    "people.QpvStatusChange.person": lambda person: QpvStatusChange.objects.create(
        person=person, status=QpvResidence.UNKNOWN
    ),
    "people.QpvAttestation.person": lambda person: QpvAttestation.objects.create(
        person=person,
        qpv_code="QN05912M",
        qpv_name="Alma",
        issued_on=datetime.date(2026, 1, 5),
        valid_until=datetime.date(2027, 1, 5),
        issuer="Mairie de Roubaix",
    ),
    "accompaniment.Accompaniment.person": lambda person: AccompanimentFactory(
        person=person, structure=person.owner_structure
    ),
    "appointments.Appointment.person": lambda person: AppointmentFactory(person=person),
    "guidance.GuidanceProfile.person": lambda person: GuidanceProfileFactory(person=person),
    "guidance.GuidanceTarget.person": lambda person: GuidanceTargetFactory(person=person),
    "referrals.Referral.person": referral_row,
    "events.Registration.person": lambda person: RegistrationFactory(person=person),
    "events.EventCandidate.person": lambda person: EventCandidateFactory(person=person),
    "opportunities.Introduction.person": lambda person: IntroductionFactory(person=person),
    "clauses.Participant.person": lambda person: ParticipantFactory(
        person=person, structure=person.owner_structure
    ),
}


def _relation_name(relation):
    return f"{relation.related_model._meta.label}.{relation.field.name}"


def _points_to(row, relation, person):
    row.refresh_from_db()
    if relation.many_to_many:
        return getattr(row, relation.field.name).filter(pk=person.pk).exists()
    return getattr(row, relation.field.attname) == person.pk


def test_every_relation_to_a_person_follows_the_surviving_record(person, duplicate, referent):
    """Every app's models pointing to a person, discovered through ``Person._meta``."""
    relations = Person._meta.related_objects
    unknown = sorted({_relation_name(relation) for relation in relations} - ROW_MAKERS.keys())
    assert not unknown, f"no row maker in ROW_MAKERS for {unknown}"
    rows = [(relation, ROW_MAKERS[_relation_name(relation)](duplicate)) for relation in relations]

    merge_persons(person, duplicate, actor=Actor.of(referent))

    stayed = [_relation_name(rel) for rel, row in rows if not _points_to(row, rel, person)]
    assert not stayed, f"not re-pointed to the surviving record: {stayed}"


def test_records_of_two_structures_are_not_merged(person, other_structure, referent):
    stranger = PersonFactory(owner_structure=other_structure)
    with pytest.raises(MergeError, match="même structure"):
        merge_persons(person, stranger, actor=Actor.of(referent))
    assert Person.objects.filter(pk=stranger.pk).exists()


def test_a_record_is_not_merged_with_itself(person, referent):
    with pytest.raises(MergeError):
        merge_persons(person, person, actor=Actor.of(referent))


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
