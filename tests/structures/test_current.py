"""The structure a user acts for is resolved without the session (the API names it)."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories import MembershipFactory, StructureFactory, UserFactory
from tisserand.structures.current import resolve_membership
from tisserand.structures.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def two_memberships(user):
    first = MembershipFactory(user=user, structure=StructureFactory(name="A structure"))
    second = MembershipFactory(
        user=user, structure=StructureFactory(name="B structure"), role=Role.ADMIN
    )
    return first, second


def test_the_requested_membership_is_the_one_acting(user, two_memberships):
    first, second = two_memberships
    assert resolve_membership(user, second.public_id) == second
    assert resolve_membership(user, str(first.public_id)) == first


def test_without_a_request_or_with_an_unknown_one_the_first_membership_acts(user, two_memberships):
    first, _ = two_memberships
    assert resolve_membership(user) == first
    assert resolve_membership(user, uuid.uuid4()) == first


def test_nobody_acts_through_a_membership_not_theirs_or_inactive(user, two_memberships):
    first, second = two_memberships
    someone_else = MembershipFactory(structure=second.structure)
    assert resolve_membership(user, someone_else.public_id) == first
    second.is_active, second.deactivated_at = False, timezone.now()
    second.save()
    assert resolve_membership(user, second.public_id) == first


def test_no_membership_for_anonymous_users_or_users_without_one(user):
    assert resolve_membership(AnonymousUser()) is None
    assert resolve_membership(user) is None
