"""Each role × each page of the socle, allowed and denied, including other structures."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tisserand.structures.roles import Role

ALL = set(Role)
ADMIN_ONLY = {Role.ADMIN}
NOT_FUNDER = ALL - {Role.FUNDER}

# (page, url builder taking (own structure, other structure), roles allowed)
PAGES = [
    ("accueil", lambda own, other: reverse("core:home"), ALL),
    ("mon compte", lambda own, other: reverse("accounts:profile"), ALL),
    ("annuaire", lambda own, other: reverse("structures:directory"), ALL),
    (
        "fiche de ma structure",
        lambda own, other: reverse("structures:detail", args=[own.public_id]),
        ALL,
    ),
    (
        "fiche d'une autre structure",
        lambda own, other: reverse("structures:detail", args=[other.public_id]),
        ALL,
    ),
    (
        "modifier ma structure",
        lambda own, other: reverse("structures:edit", args=[own.public_id]),
        ADMIN_ONLY,
    ),
    (
        "modifier une autre structure",
        lambda own, other: reverse("structures:edit", args=[other.public_id]),
        set(),
    ),
    (
        "membres de ma structure",
        lambda own, other: reverse("structures:members", args=[own.public_id]),
        NOT_FUNDER,
    ),
    (
        "membres d'une autre structure",
        lambda own, other: reverse("structures:members", args=[other.public_id]),
        set(),
    ),
    (
        "inviter dans ma structure",
        lambda own, other: reverse("structures:invite", args=[own.public_id]),
        ADMIN_ONLY,
    ),
    (
        "inviter dans une autre structure",
        lambda own, other: reverse("structures:invite", args=[other.public_id]),
        set(),
    ),
    (
        "journal des accès de ma structure",
        lambda own, other: reverse("structures:access_log", args=[own.public_id]),
        ADMIN_ONLY,
    ),
    (
        "journal des accès d'une autre structure",
        lambda own, other: reverse("structures:access_log", args=[other.public_id]),
        set(),
    ),
]


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize(("page", "url", "allowed_roles"), PAGES, ids=[p[0] for p in PAGES])
def test_role_page_matrix(
    client_for, make_member, structure, other_structure, role, page, url, allowed_roles
):
    client = client_for(make_member(role, structure=structure))
    response = client.get(url(structure, other_structure))
    expected = 200 if role in allowed_roles else 403
    assert response.status_code == expected, f"{role} sur « {page} »"


@pytest.mark.parametrize(("page", "url", "allowed_roles"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_users_are_sent_to_login(
    client, structure, other_structure, page, url, allowed_roles
):
    response = client.get(url(structure, other_structure))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(("page", "url", "allowed_roles"), PAGES, ids=[p[0] for p in PAGES])
def test_user_without_active_membership_sees_only_home_and_account(
    client, structure, other_structure, page, url, allowed_roles
):
    membership = MembershipFactory(structure=structure, role=Role.ADMIN)
    membership.is_active = False
    membership.deactivated_at = membership.joined_at
    membership.save()
    client.force_login(membership.user)
    response = client.get(url(structure, other_structure))
    expected = 200 if page in {"accueil", "mon compte"} else 403
    assert response.status_code == expected


def test_members_list_never_shows_another_structures_members(
    client_for, make_member, structure, other_structure
):
    outsider = MembershipFactory(structure=other_structure, role=Role.REFERENT)
    client = client_for(make_member(Role.ADMIN, structure=structure))
    response = client.get(reverse("structures:members", args=[structure.public_id]))
    assert outsider.user.email not in response.content.decode()


def test_admin_cannot_deactivate_a_member_of_another_structure(
    client_for, make_member, structure, other_structure
):
    outsider = MembershipFactory(structure=other_structure, role=Role.REFERENT)
    client = client_for(make_member(Role.ADMIN, structure=structure))
    response = client.post(
        reverse("structures:deactivate", args=[other_structure.public_id, outsider.public_id])
    )
    assert response.status_code == 403
    outsider.refresh_from_db()
    assert outsider.is_active


def test_acting_for_a_structure_gives_only_that_structures_rights(
    client, structure, other_structure
):
    """A user admin of A and referent of B, acting for B, may not manage A's members."""
    user = UserFactory()
    admin_of_a = MembershipFactory(user=user, structure=structure, role=Role.ADMIN)
    referent_of_b = MembershipFactory(user=user, structure=other_structure, role=Role.REFERENT)
    client.force_login(user)
    session = client.session
    session["current_membership"] = str(referent_of_b.public_id)
    session.save()
    assert client.get(reverse("structures:invite", args=[structure.public_id])).status_code == 403
    client.post(reverse("structures:switch"), {"membership": str(admin_of_a.public_id)})
    assert client.get(reverse("structures:invite", args=[structure.public_id])).status_code == 200


def test_switching_to_a_membership_of_someone_else_is_refused(client_for, make_member, structure):
    mine = make_member(Role.REFERENT, structure=structure)
    someone_elses = make_member(Role.ADMIN, structure=structure)
    client = client_for(mine)
    response = client.post(
        reverse("structures:switch"), {"membership": str(someone_elses.public_id)}, follow=True
    )
    assert "ne fait pas partie des vôtres" in response.content.decode()
    assert client.get(reverse("structures:invite", args=[structure.public_id])).status_code == 403
