import pytest

from tests.people.factories import ConsentFactory, PersonFactory, follow
from tisserand.people import perms, selectors
from tisserand.people.models import FollowUpRole, Person
from tisserand.structures.roles import Role


def _sees(membership, person):
    """Whether ``membership`` sees ``person``; the one-query list and both its shapes agree."""
    visible = selectors.visible_persons(membership).filter(pk=person.pk).exists()
    assert visible == perms.can_view_person(membership, person)
    if membership.role != Role.FUNDER:
        for scan in (True, False):
            rule = selectors.visibility_rule(membership, scan=scan)
            assert Person.objects.filter(rule, pk=person.pk).exists() == visible
    return visible


def test_referent_and_team_see_everything(make_member, structure, unfollowed_person):
    referent = make_member(Role.REFERENT, structure)
    team = make_member(Role.BUSINESS, structure)
    follow(unfollowed_person, referent)
    follow(unfollowed_person, team, FollowUpRole.TEAM)
    for member in (referent, team):
        assert _sees(member, unfollowed_person)
        assert perms.can_edit_person(member, unfollowed_person)
        assert perms.can_view_special_category(member, unfollowed_person)
        assert perms.can_view_shared_scope(member, unfollowed_person, "appointments")


def test_counsellor_outside_the_follow_up_sees_nothing(make_member, structure, unfollowed_person):
    assert not _sees(make_member(Role.REFERENT, structure), unfollowed_person)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DIRECTOR])
def test_managers_of_the_structure_see_but_not_special_category(
    make_member, structure, unfollowed_person, role
):
    manager = make_member(role, structure)
    assert _sees(manager, unfollowed_person)
    assert not perms.can_view_special_category(manager, unfollowed_person)
    assert perms.can_edit_person(manager, unfollowed_person) == (role == Role.ADMIN)


@pytest.mark.parametrize("role", list(Role))
def test_nobody_of_another_structure_sees_the_person(
    make_member, other_structure, unfollowed_person, role
):
    assert not _sees(make_member(role, other_structure), unfollowed_person)


def test_funder_sees_no_person_even_when_following(make_member, structure, unfollowed_person):
    funder = make_member(Role.FUNDER, structure)
    follow(unfollowed_person, funder)
    assert not _sees(funder, unfollowed_person)
    assert not selectors.visible_persons(funder).exists()


def test_partner_sees_only_consented_scopes(make_member, other_structure, unfollowed_person):
    partner = make_member(Role.PARTNER, other_structure)
    assert not _sees(partner, unfollowed_person)
    consent = ConsentFactory(
        person=unfollowed_person, structure=other_structure, scopes=["identity"]
    )
    assert _sees(partner, unfollowed_person)
    assert perms.can_view_shared_scope(partner, unfollowed_person, "identity")
    assert not perms.can_view_shared_scope(partner, unfollowed_person, "accompaniment")
    assert not perms.can_view_special_category(partner, unfollowed_person)
    assert not perms.can_edit_person(partner, unfollowed_person)
    consent.withdrawn_at = consent.given_at
    consent.save()
    assert not _sees(partner, unfollowed_person)


def test_partner_reader_of_the_follow_up_needs_consent(
    make_member, other_structure, unfollowed_person
):
    reader = make_member(Role.REFERENT, other_structure)
    follow(unfollowed_person, reader, FollowUpRole.PARTNER_READER)
    assert not _sees(reader, unfollowed_person)
    ConsentFactory(person=unfollowed_person, structure=other_structure, scopes=["situation"])
    assert _sees(reader, unfollowed_person)
    assert not perms.can_view_shared_scope(reader, unfollowed_person, "identity")


def test_structure_following_a_transferred_person(make_member, other_structure, unfollowed_person):
    referent = make_member(Role.REFERENT, other_structure)
    director = make_member(Role.DIRECTOR, other_structure)
    assert not _sees(director, unfollowed_person)
    follow(unfollowed_person, referent)
    assert _sees(referent, unfollowed_person) and _sees(director, unfollowed_person)


def test_visible_persons_is_one_query(make_member, structure, django_assert_num_queries):
    admin = make_member(Role.ADMIN, structure)
    PersonFactory.create_batch(3, owner_structure=structure)
    with django_assert_num_queries(1):
        assert len(selectors.visible_persons(admin)) == 3
