import pytest

from tests.people.factories import ConsentFactory, PersonFactory, follow
from tisserand.people import perms, selectors
from tisserand.people.models import FollowUpRole, Person
from tisserand.structures.roles import Role


@pytest.fixture
def person(structure):
    return PersonFactory(owner_structure=structure)


def _sees(membership, person):
    """Whether ``membership`` sees ``person``; the one-query list and both its shapes agree."""
    visible = selectors.visible_persons(membership).filter(pk=person.pk).exists()
    assert visible == perms.can_view_person(membership, person)
    if membership.role != Role.FUNDER:
        for scan in (True, False):
            rule = selectors.visibility_rule(membership, scan=scan)
            assert Person.objects.filter(rule, pk=person.pk).exists() == visible
    return visible


def test_referent_and_team_see_everything(make_member, structure, person):
    referent = make_member(Role.REFERENT, structure)
    team = make_member(Role.BUSINESS, structure)
    follow(person, referent)
    follow(person, team, FollowUpRole.TEAM)
    for member in (referent, team):
        assert _sees(member, person)
        assert perms.can_edit_person(member, person)
        assert perms.can_view_special_category(member, person)
        assert perms.can_view_shared_scope(member, person, "appointments")


def test_counsellor_outside_the_follow_up_sees_nothing(make_member, structure, person):
    assert not _sees(make_member(Role.REFERENT, structure), person)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DIRECTOR])
def test_managers_of_the_structure_see_but_not_special_category(
    make_member, structure, person, role
):
    manager = make_member(role, structure)
    assert _sees(manager, person)
    assert not perms.can_view_special_category(manager, person)
    assert perms.can_edit_person(manager, person) == (role == Role.ADMIN)


@pytest.mark.parametrize("role", list(Role))
def test_nobody_of_another_structure_sees_the_person(make_member, other_structure, person, role):
    assert not _sees(make_member(role, other_structure), person)


def test_funder_sees_no_person_even_when_following(make_member, structure, person):
    funder = make_member(Role.FUNDER, structure)
    follow(person, funder)
    assert not _sees(funder, person)
    assert not selectors.visible_persons(funder).exists()


def test_partner_sees_only_consented_scopes(make_member, other_structure, person):
    partner = make_member(Role.PARTNER, other_structure)
    assert not _sees(partner, person)
    consent = ConsentFactory(person=person, structure=other_structure, scopes=["identity"])
    assert _sees(partner, person)
    assert perms.can_view_shared_scope(partner, person, "identity")
    assert not perms.can_view_shared_scope(partner, person, "accompaniment")
    assert not perms.can_view_special_category(partner, person)
    assert not perms.can_edit_person(partner, person)
    consent.withdrawn_at = consent.given_at
    consent.save()
    assert not _sees(partner, person)


def test_partner_reader_of_the_follow_up_needs_consent(make_member, other_structure, person):
    reader = make_member(Role.REFERENT, other_structure)
    follow(person, reader, FollowUpRole.PARTNER_READER)
    assert not _sees(reader, person)
    ConsentFactory(person=person, structure=other_structure, scopes=["situation"])
    assert _sees(reader, person)
    assert not perms.can_view_shared_scope(reader, person, "identity")


def test_structure_following_a_transferred_person(make_member, other_structure, person):
    referent = make_member(Role.REFERENT, other_structure)
    director = make_member(Role.DIRECTOR, other_structure)
    assert not _sees(director, person)
    follow(person, referent)
    assert _sees(referent, person) and _sees(director, person)


def test_visible_persons_is_one_query(make_member, structure, django_assert_num_queries):
    admin = make_member(Role.ADMIN, structure)
    PersonFactory.create_batch(3, owner_structure=structure)
    with django_assert_num_queries(1):
        assert len(selectors.visible_persons(admin)) == 3
