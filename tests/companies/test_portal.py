"""The leader portal: a leader sees their own company only (404 on any other company's
URLs), lands on the portal after login, needs no structure and no MFA; officers invite
contacts (only the digest of the link's secret is stored, the link expires and serves once)."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.companies.factories import ContactFactory, EstablishmentFactory, NeedSubjectFactory
from tests.companies.portal_helpers import bakery_appellation, client_of, leader_of, toolkit
from tests.factories import UserFactory
from tests.referentials.geo.factories import make_commune
from tisserand.companies import portal, portal_invitations
from tisserand.companies.models import LeaderAccount, LeaderInvitation, Need
from tisserand.structures.models import Membership
from tisserand.structures.roles import Role

PORTAL_PAGES = [
    "companies:portal_company",
    "companies:portal_needs",
    "companies:portal_clubs",
    "companies:portal_gpec",
    "companies:portal_gpec_positions",
    "companies:portal_gpec_employees",
    "companies:portal_gpec_matrix",
    "companies:portal_gpec_xlsx",
    "companies:portal_gpec_pdf",
]


@pytest.fixture
def leader():
    return leader_of(EstablishmentFactory(commune=make_commune("59512", "Roubaix")))


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_a_leader_opens_their_company_s_portal_pages(leader, name):
    toolkit(leader.establishment)
    response = client_of(leader.user).get(reverse(name, args=[leader.establishment.public_id]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_a_leader_gets_404_on_another_company(leader, name):
    other = EstablishmentFactory()
    response = client_of(leader.user).get(reverse(name, args=[other.public_id]))
    assert response.status_code == 404


def test_a_leader_cannot_reach_another_company_s_position_through_their_own_url(leader):
    other = EstablishmentFactory()
    other_kit = toolkit(other)
    url = reverse(
        "companies:portal_gpec_position",
        args=[leader.establishment.public_id, other_kit["baker"].public_id],
    )
    assert client_of(leader.user).get(url).status_code == 404
    url = reverse(
        "companies:portal_gpec_employee_remove",
        args=[leader.establishment.public_id, other_kit["people"]["Lina"].public_id],
    )
    assert client_of(leader.user).post(url).status_code == 404
    assert other.gpec_employees.filter(alias="Lina").exists()


def test_a_deactivated_leader_gets_404(leader):
    leader.is_active = False
    leader.save()
    url = reverse("companies:portal_company", args=[leader.establishment.public_id])
    assert client_of(leader.user).get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.BUSINESS, Role.ADMIN, Role.PARTNER, Role.FUNDER])
def test_officers_and_others_get_404_on_the_portal(leader, make_member, role):
    member = make_member(role)
    client = client_of(member.user)
    for name in ("companies:portal_company", "companies:portal_gpec"):
        assert client.get(reverse(name, args=[leader.establishment.public_id])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(leader, client):
    response = client.get(
        reverse("companies:portal_company", args=[leader.establishment.public_id])
    )
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_a_leader_lands_on_the_portal_of_their_company(leader):
    client = client_of(leader.user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse("companies:portal")
    response = client.get(reverse("companies:portal"))
    assert response.url == reverse(
        "companies:portal_company", args=[leader.establishment.public_id]
    )


def test_a_user_without_membership_nor_company_keeps_the_home_page():
    response = client_of(UserFactory()).get(reverse("core:home"))
    assert response.status_code == 200


def test_a_leader_of_two_companies_chooses(leader):
    second = leader_of(user=leader.user)
    response = client_of(leader.user).get(reverse("companies:portal"))
    assert response.status_code == 200
    assert second.establishment.display_name in response.content.decode()


def test_a_leader_needs_no_mfa_even_when_it_is_required(leader, settings):
    settings.TISSERAND_MFA_REQUIRED = True
    url = reverse("companies:portal_company", args=[leader.establishment.public_id])
    assert client_of(leader.user).get(url).status_code == 200


def test_a_leader_records_a_need_and_adds_precisions(leader):
    subject = NeedSubjectFactory(label="Recruter un premier salarié")
    client = client_of(leader.user)
    url = reverse("companies:portal_needs", args=[leader.establishment.public_id])
    response = client.post(url, {"subject": subject.pk, "description": "Un boulanger"})
    assert response.status_code == 302
    need = Need.objects.get()
    assert (need.establishment, need.contact, need.created_by) == (
        leader.establishment,
        leader.contact,
        leader.user,
    )
    edit = reverse("companies:portal_need", args=[leader.establishment.public_id, need.public_id])
    client.post(edit, {"description": "Un boulanger à temps plein"})
    need.refresh_from_db()
    assert need.description == "Un boulanger à temps plein"


def test_a_leader_cannot_open_another_company_s_need(leader):
    need = Need.objects.create(establishment=EstablishmentFactory(), subject=NeedSubjectFactory())
    url = reverse("companies:portal_need", args=[leader.establishment.public_id, need.public_id])
    assert client_of(leader.user).post(url, {"description": "x"}).status_code == 404
    need.refresh_from_db()
    assert need.description == ""


def test_the_portal_shows_the_entries_other_apps_register(leader):
    portal.register(
        portal.PortalEntry("test-offers", "Nos offres (test)", "companies:portal_needs")
    )
    try:
        url = reverse("companies:portal_company", args=[leader.establishment.public_id])
        assert "Nos offres (test)" in client_of(leader.user).get(url).content.decode()
    finally:
        portal.entries.unregister("test-offers")


def test_the_leader_describes_a_position_from_the_portal_with_its_picker(leader):
    found = bakery_appellation()
    client = client_of(leader.user)
    public_id = leader.establishment.public_id
    picker = client.get(reverse("companies:portal_picker", args=[public_id]), {"q": "boulanger"})
    assert picker.status_code == 200
    response = client.post(
        reverse("companies:portal_gpec_positions", args=[public_id]),
        {"appellation": found.label, "appellation__code": str(found.code_ogr), "title": ""},
    )
    assert response.status_code == 302
    assert leader.establishment.gpec_positions.get().skills.count() == 4


def test_the_leader_fills_the_matrix_through_the_grid(leader):
    kit = toolkit(leader.establishment)
    lina = kit["people"]["Lina"]
    link = kit["baker"].skills.first()
    client = client_of(leader.user)
    url = reverse("companies:portal_gpec_matrix", args=[leader.establishment.public_id])
    page = client.get(url).content.decode()
    name = f"niveau-{lina.pk}-{link.skill_id}"
    assert f'name="{name}"' in page
    assert client.post(url, {name: "3"}).status_code == 302
    assert lina.levels.get(skill=link.skill).level == 3
    response = client.post(url, {name: "9"})
    assert response.status_code == 400
    assert "le niveau va de 0 à 3" in response.content.decode()
    assert lina.levels.get(skill=link.skill).level == 3


# --- Invitations ------------------------------------------------------------------------------


def _invite(client, establishment, contact):
    return client.post(
        reverse("companies:leaders", args=[establishment.public_id]), {"contact": contact.pk}
    )


def _link(message):
    return re.search(r"https?://\S+/portail/invitation/\S+/", message.body).group(0)


@pytest.fixture
def invited(make_member, django_capture_on_commit_callbacks):
    officer = make_member(Role.BUSINESS)
    establishment = EstablishmentFactory()
    contact = ContactFactory(establishment=establishment, email="Claire@Boulangerie.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_of(officer.user), establishment, contact)
    assert response.status_code == 302
    return {"officer": officer, "establishment": establishment, "contact": contact}


def test_an_invitation_stores_only_the_digest_of_its_secret(invited):
    invitation = LeaderInvitation.objects.get()
    link = _link(mail.outbox[-1])
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_digest == portal_invitations.digest(token)
    assert token not in invitation.token_digest
    assert invitation.email == "claire@boulangerie.test"
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)


def test_accepting_creates_a_leader_account_and_no_membership(invited, client):
    link = _link(mail.outbox[-1])
    response = client.post(
        link, {"password1": "Un-mot-de-passe-solide-42", "password2": "Un-mot-de-passe-solide-42"}
    )
    assert response.status_code == 302
    account = LeaderAccount.objects.get()
    assert (account.establishment, account.contact) == (
        invited["establishment"],
        invited["contact"],
    )
    assert not Membership.objects.filter(user=account.user).exists()
    # Logged in and on the portal; the link now serves no more.
    assert client.get(response.url).status_code == 200
    assert client.get(link).status_code == 410


def test_an_expired_or_revoked_invitation_is_refused(invited, client):
    link = _link(mail.outbox[-1])
    invitation = LeaderInvitation.objects.get()
    LeaderInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert client.get(link).status_code == 410
    assert client.post(link, {"password1": "x", "password2": "x"}).status_code == 410
    assert not LeaderAccount.objects.exists()


def test_an_unknown_token_is_refused(client):
    assert client.get(reverse("companies:portal_accept", args=["nimporte-quoi"])).status_code == 410


def test_a_partner_cannot_invite(make_member):
    partner = make_member(Role.PARTNER)
    establishment = EstablishmentFactory()
    contact = ContactFactory(establishment=establishment)
    assert _invite(client_of(partner.user), establishment, contact).status_code == 403
    assert not LeaderInvitation.objects.exists()


def test_a_contact_without_email_cannot_be_invited(make_member):
    officer = make_member(Role.BUSINESS)
    establishment = EstablishmentFactory()
    contact = ContactFactory(establishment=establishment, email="")
    response = _invite(client_of(officer.user), establishment, contact)
    assert response.status_code == 200
    assert not LeaderInvitation.objects.exists()


def test_an_officer_deactivates_a_leader(leader, make_member):
    officer = make_member(Role.BUSINESS)
    url = reverse(
        "companies:leader_deactivate", args=[leader.establishment.public_id, leader.public_id]
    )
    assert client_of(officer.user).post(url).status_code == 302
    leader.refresh_from_db()
    assert not leader.is_active


def test_an_existing_account_accepts_once_logged_in(
    make_member, django_capture_on_commit_callbacks
):
    officer = make_member(Role.BUSINESS)
    user = UserFactory(email="deja@compte.test")
    establishment = EstablishmentFactory()
    contact = ContactFactory(establishment=establishment, email="deja@compte.test")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_of(officer.user), establishment, contact)
    link = _link(mail.outbox[-1])
    from django.test import Client

    anonymous = Client().get(link)
    assert anonymous.status_code == 302 and reverse("account_login") in anonymous.url
    other = client_of(UserFactory())
    assert "destinée à deja@compte.test" in other.get(link).content.decode()
    assert other.post(link).status_code == 200
    assert not LeaderAccount.objects.exists()
    response = client_of(user).post(link)
    assert response.status_code == 302
    assert LeaderAccount.objects.get().user == user


@pytest.mark.parametrize("name", ["companies:gpec", "companies:leaders"])
def test_a_leader_does_not_open_the_officers_pages_of_their_own_company(leader, name):
    url = reverse(name, args=[leader.establishment.public_id])
    assert client_of(leader.user).get(url).status_code == 403


def test_a_leader_does_not_open_the_officers_club_list(leader):
    assert client_of(leader.user).get(reverse("companies:clubs")).status_code == 403


def test_the_portal_clubs_page_s_queries_do_not_grow(leader, django_assert_max_num_queries):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.companies.factories import HrClubFactory
    from tests.core.matrix import PDF
    from tisserand.companies import clubs
    from tisserand.companies.models import HrClubMember, HrClubSession
    from tisserand.core.actor import Actor

    actor = Actor(UserFactory())

    def club_with_everything():
        club = HrClubFactory()
        HrClubMember.objects.create(
            club=club, establishment=leader.establishment, joined_on=datetime.date(2025, 1, 1)
        )
        session = HrClubSession.objects.create(
            club=club, date=timezone.localdate() + datetime.timedelta(days=3), title="Séance"
        )
        clubs.register(session, data={"contact": leader.contact}, actor=actor)
        clubs.add_resource(
            club, data={"title": "Guide", "file": SimpleUploadedFile("g.pdf", PDF)}, actor=actor
        )

    club_with_everything()
    client = client_of(leader.user)
    url = reverse("companies:portal_clubs", args=[leader.establishment.public_id])
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    for _ in range(4):
        club_with_everything()
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200
