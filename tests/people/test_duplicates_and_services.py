"""Duplicate matching, follow-up services and the person page's panels."""

import datetime

import pytest
from django.urls import reverse

from tests.people.factories import PersonFactory
from tisserand.core import records
from tisserand.core.actor import Actor
from tisserand.core.models import TimelineEvent
from tisserand.people import perms
from tisserand.people.duplicates import find_duplicates, mistyped_dates, name_similarity
from tisserand.people.models import FollowUpMember, FollowUpRole
from tisserand.people.services import end_follow_up, set_follow_up
from tisserand.structures.roles import Role


def test_mistyped_dates():
    dates = mistyped_dates(datetime.date(1990, 5, 17))
    assert datetime.date(1990, 5, 18) in dates  # a digit
    assert datetime.date(1990, 5, 17) not in dates
    assert datetime.date(1909, 5, 17) in dates  # two digits swapped
    assert datetime.date(1990, 7, 15) not in dates  # two mistakes
    assert datetime.date(1988, 4, 12) in mistyped_dates(datetime.date(1988, 12, 4))  # day/month


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        (("Ben Ali", "Karim", ""), ("Benali", "Karim", ""), True),
        (("Lefèvre", "Élodie", ""), ("LEFEVRE", "elodie", ""), True),
        (("Martin", "Paul", ""), ("Martin", "Pierre", ""), False),
        # Married name now, birth name then.
        (("Durand", "Julie", "Petit"), ("Petit", "Julie", ""), True),
    ],
)
def test_name_similarity(a, b, alike):
    assert (name_similarity(a, b) >= 85) == alike


def test_find_duplicates_best_first_across_structures(structure, other_structure):
    exact = PersonFactory(
        owner_structure=other_structure,
        first_name="Karim",
        last_name="Haddad",
        birth_date=datetime.date(1988, 4, 12),
    )
    typo = PersonFactory(
        owner_structure=structure,
        first_name="Karim",
        last_name="Haddad",
        birth_date=datetime.date(1988, 4, 13),
    )
    PersonFactory(first_name="Karim", last_name="Haddad", birth_date=datetime.date(1970, 1, 1))
    found = find_duplicates("Karim", "Haddad", datetime.date(1988, 4, 12))
    assert [c.person for c in found] == [exact, typo]
    assert (
        find_duplicates("Karim", "Haddad", datetime.date(1988, 4, 12), exclude=exact)[0].person
        == typo
    )


def test_set_and_end_follow_up(person, referent, make_member, structure):
    colleague = make_member(Role.BUSINESS, structure)
    actor = Actor.of(referent)
    seat = set_follow_up(
        person, user=colleague.user, structure=structure, role=FollowUpRole.TEAM, actor=actor
    )
    assert seat.is_active and perms.can_view_special_category(colleague, person)
    # Same role again: nothing changes.
    assert (
        set_follow_up(person, user=colleague.user, structure=structure, role="team", actor=actor)
        == seat
    )
    promoted = set_follow_up(
        person, user=colleague.user, structure=structure, role="referent", actor=actor
    )
    seat.refresh_from_db()
    assert not seat.is_active and seat.until is not None and promoted.role == "referent"
    ended = end_follow_up(person, user=colleague.user, structure=structure, actor=actor)
    assert ended == promoted and not FollowUpMember.objects.get(pk=promoted.pk).is_active
    assert end_follow_up(person, user=colleague.user, structure=structure, actor=actor) is None
    assert not perms.can_view_person(colleague, person)
    summaries = TimelineEvent.objects.values_list("summary", flat=True)
    assert sum("rejoint le suivi" in s for s in summaries) == 2
    assert sum("quitte le suivi" in s for s in summaries) == 1


@pytest.fixture
def test_panel():
    panel = records.Section(
        kind="person",
        key="test-panel",
        title="Panneau d'essai",
        template_name="components/empty_state.html",
        predicate=lambda record: record.access.can_edit,
        context=lambda record: {"title": f"Contenu pour {record.record.first_name}"},
        order=1,
    )
    records.register_section(panel)
    yield panel
    records.sections.unregister((panel.kind, panel.key))


def test_panels_show_to_the_memberships_their_predicate_accepts(
    client_for, referent, person, make_member, structure, test_panel
):
    url = reverse("people:detail", args=[person.public_id])
    page = client_for(referent).get(url).content.decode()
    assert "Panneau d&#x27;essai" in page and "Contenu pour Amina" in page
    director = make_member(Role.DIRECTOR, structure)
    page = client_for(director).get(url).content.decode()
    assert "Panneau d&#x27;essai" not in page
