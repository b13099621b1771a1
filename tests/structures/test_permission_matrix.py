"""Structures and members across structures; every page × every role is in
``tests/core/test_url_matrix.py``."""

from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tisserand.structures.roles import Role


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
