from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from tisserand.accounts.models import User
from tisserand.core.models import TimelineEvent
from tisserand.structures.models import Invitation, Membership
from tisserand.structures.roles import Role

STRONG_PASSWORD = "Tisserand-Roubaix-59100"


@pytest.fixture
def admin(make_member, structure):
    return make_member(Role.ADMIN, structure=structure)


def invite(client, structure, **overrides):
    data = {
        "email": "Nouvelle@Exemple.test",
        "first_name": "Léa",
        "last_name": "Martin",
        "role": Role.REFERENT,
        **overrides,
    }
    return client.post(reverse("structures:invite", args=[structure.public_id]), data)


def test_admin_invites_a_member_by_email(client_for, admin, structure):
    response = invite(client_for(admin), structure)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle@exemple.test"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle@exemple.test"]
    assert f"/invitation/{invitation.token}/" in message.body
    assert "avec le rôle « Accompagnement (référence de parcours) »" in message.body
    assert TimelineEvent.objects.filter(summary__contains="Invitation envoyée").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "pas-un-email"}, "email", "Saisissez une adresse e-mail valide."),
        ({"role": "roi"}, "role", "Sélectionnez un choix valide."),
        ({"first_name": ""}, "first_name", "Ce champ est obligatoire."),
    ],
)
def test_bad_invitation_input_is_refused_next_to_the_field(
    client_for, admin, structure, overrides, field, message
):
    response = invite(client_for(admin), structure, **overrides)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}' in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_a_second_pending_invitation_for_the_same_address_is_refused(client_for, admin, structure):
    client = client_for(admin)
    invite(client, structure)
    response = invite(client, structure)
    assert "déjà en attente" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_inviting_an_existing_member_with_the_same_role_is_refused(client_for, admin, structure):
    member = MembershipFactory(structure=structure, role=Role.REFERENT)
    response = invite(client_for(admin), structure, email=member.user.email)
    assert "déjà membre" in response.content.decode()


def test_invited_person_creates_their_account(client, structure):
    invitation = Invitation.objects.create(
        structure=structure,
        email="lea@exemple.test",
        first_name="Léa",
        last_name="Martin",
        role=Role.REFERENT,
    )
    url = reverse("structures:accept_invitation", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="lea@exemple.test")
    assert user.check_password(STRONG_PASSWORD)
    assert Membership.objects.filter(user=user, structure=structure, role=Role.REFERENT).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(url).status_code == 410  # used once only


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("court", "trop court"),
        ("roubaixroubaix", "trois types de caractères"),
        ("123456789012345", "entièrement numérique"),
    ],
)
def test_weak_passwords_are_refused(client, structure, password, error):
    invitation = Invitation.objects.create(
        structure=structure,
        email="lea@exemple.test",
        first_name="Léa",
        last_name="Martin",
        role=Role.REFERENT,
    )
    response = client.post(
        reverse("structures:accept_invitation", args=[invitation.token]),
        {"password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not User.objects.filter(email="lea@exemple.test").exists()


def test_expired_and_revoked_invitations_cannot_be_used(client, structure):
    expired = Invitation.objects.create(
        structure=structure,
        email="a@exemple.test",
        first_name="A",
        last_name="A",
        role=Role.REFERENT,
        created_at=timezone.now() - timedelta(days=8),
    )
    revoked = Invitation.objects.create(
        structure=structure,
        email="b@exemple.test",
        first_name="B",
        last_name="B",
        role=Role.REFERENT,
        revoked_at=timezone.now(),
    )
    for invitation in (expired, revoked):
        response = client.get(reverse("structures:accept_invitation", args=[invitation.token]))
        assert response.status_code == 410


def test_an_existing_user_joins_a_second_structure_after_logging_in(
    client, structure, other_structure
):
    member = MembershipFactory(structure=other_structure, role=Role.PARTNER)
    invitation = Invitation.objects.create(
        structure=structure,
        email=member.user.email,
        first_name="X",
        last_name="Y",
        role=Role.REFERENT,
    )
    url = reverse("structures:accept_invitation", args=[invitation.token])
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response.url
    client.force_login(member.user)
    client.post(url)
    assert member.user.memberships.filter(is_active=True).count() == 2


def test_admin_revokes_a_pending_invitation(client_for, admin, structure):
    invitation = Invitation.objects.create(
        structure=structure,
        email="c@exemple.test",
        first_name="C",
        last_name="C",
        role=Role.REFERENT,
    )
    client_for(admin).post(
        reverse("structures:revoke_invitation", args=[structure.public_id, invitation.public_id])
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_admin_deactivates_a_member_who_then_loses_access(client_for, admin, structure, client):
    member = MembershipFactory(structure=structure, role=Role.REFERENT)
    response = client_for(admin).post(
        reverse("structures:deactivate", args=[structure.public_id, member.public_id])
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active and member.deactivated_at is not None
    event = TimelineEvent.objects.get(verb=TimelineEvent.Verb.STATUS_CHANGED)
    assert event.actor == admin.user and "désactivé" in event.summary
    client.force_login(member.user)
    assert client.get(reverse("structures:members", args=[structure.public_id])).status_code == 403


def test_admin_cannot_deactivate_their_own_seat(client_for, admin, structure):
    response = client_for(admin).post(
        reverse("structures:deactivate", args=[structure.public_id, admin.public_id])
    )
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.is_active


def test_deactivation_requires_post(client_for, admin, structure):
    member = MembershipFactory(structure=structure, role=Role.REFERENT)
    response = client_for(admin).get(
        reverse("structures:deactivate", args=[structure.public_id, member.public_id])
    )
    assert response.status_code == 405


def test_login_with_email_and_password(client, structure):
    member = MembershipFactory(structure=structure, user=UserFactory(email="paul@exemple.test"))
    response = client.post(
        reverse("account_login"), {"login": "paul@exemple.test", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:home")).context["current_membership"] == member


def test_factories_make_valid_sirets(structure):
    structure.full_clean()


def test_demo_territory_is_valid_and_idempotent():
    from tisserand.structures import demo
    from tisserand.structures.models import Structure

    first = demo.seed()
    counts = (Structure.objects.count(), User.objects.count(), Membership.objects.count())
    assert demo.seed() == first
    assert (Structure.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    for structure in Structure.objects.all():
        structure.full_clean()
        assert structure.is_demo
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role)
    insee = set(Structure.objects.values_list("commune_insee", flat=True))
    assert {"59512", "59367"} <= insee


@pytest.mark.parametrize(
    ("postal_code", "insee", "error"),
    [
        ("59100", "59367", "Le code postal 59100 dessert : Roubaix (59512)."),
        ("59999", "59512", "Aucune commune ne correspond au code postal 59999."),
    ],
)
def test_structure_commune_must_match_the_geographic_referential(
    client_for, admin, structure, postal_code, insee, error
):
    from tests.referentials.geo.factories import make_roubaix_area

    make_roubaix_area()
    data = {
        "name": "MDE",
        "address_line": "1 rue",
        "postal_code": postal_code,
        "commune_name": "Ailleurs",
        "commune_insee": insee,
        "phone": "",
        "email": "",
    }
    url = reverse("structures:edit", args=[structure.public_id])
    response = client_for(admin).post(url, data)
    assert response.context["form"].errors["commune_insee"] == [error]
    data.update(postal_code="59390", commune_insee="59367", commune_name="lys")
    assert client_for(admin).post(url, data).status_code == 302
    structure.refresh_from_db()
    assert structure.commune_name == "Lys-lez-Lannoy"
