"""HR clubs: officers read (SEE_COMPANIES) and the animating structure's officers edit
(MANAGE_COMPANIES); leaders of member companies register their contacts to sessions; shared
resources are opened by members' leaders and officers only, each opening logged."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.companies.factories import ContactFactory, EstablishmentFactory, HrClubFactory
from tests.companies.portal_helpers import client_of, leader_of
from tests.core.matrix import PDF
from tests.http import release
from tisserand.companies import clubs
from tisserand.companies.models import HrClubMember, HrClubRegistration, HrClubSession
from tisserand.core.actor import Actor
from tisserand.core.models import RecordAccess
from tisserand.structures.roles import Role


@pytest.fixture
def officer(make_member, structure):
    return make_member(Role.BUSINESS, structure)


@pytest.fixture
def club(officer):
    return HrClubFactory(structure=officer.structure, animator=officer.user)


@pytest.fixture
def member_leader(club):
    leader = leader_of()
    HrClubMember.objects.create(
        club=club, establishment=leader.establishment, joined_on=datetime.date(2025, 1, 1)
    )
    return leader


def _session(club, days=10, **kwargs):
    return HrClubSession.objects.create(
        club=club,
        date=timezone.localdate() + datetime.timedelta(days=days),
        title="Séance",
        **kwargs,
    )


def test_officers_read_the_clubs_funders_do_not(club, make_member):
    for role, status in ((Role.PARTNER, 200), (Role.REFERENT, 200), (Role.FUNDER, 403)):
        client = client_of(make_member(role).user)
        assert client.get(reverse("companies:clubs")).status_code == status
        assert (
            client.get(reverse("companies:club_detail", args=[club.public_id])).status_code
            == status
        )


def test_only_the_animating_structure_s_officers_edit_a_club(club, make_member, other_structure):
    outsider = make_member(Role.BUSINESS, other_structure)
    url = reverse("companies:club_session_add", args=[club.public_id])
    data = {"date": "2030-01-15", "title": "Atelier"}
    assert client_of(outsider.user).post(url, data).status_code == 403
    assert not HrClubSession.objects.exists()
    member = club.structure.memberships.get(role=Role.BUSINESS)
    assert client_of(member.user).post(url, data).status_code == 302
    assert HrClubSession.objects.get().title == "Atelier"


def test_an_officer_creates_a_club_animated_by_their_structure(officer):
    response = client_of(officer.user).post(
        reverse("companies:club_create"),
        {"name": "Club RH test", "theme": "Recruter", "is_active": "on"},
    )
    assert response.status_code == 302
    club = officer.structure.__class__.objects.get(pk=officer.structure.pk)
    from tisserand.companies.models import HrClub

    created = HrClub.objects.get(name="Club RH test")
    assert (created.structure, created.animator) == (club, officer.user)


def test_an_officer_adds_a_member_by_siret(club, officer):
    establishment = EstablishmentFactory()
    url = reverse("companies:club_member_add", args=[club.public_id])
    client_of(officer.user).post(url, {"siret": establishment.siret})
    assert club.members.filter(establishment=establishment, left_on__isnull=True).exists()
    client_of(officer.user).post(url, {"siret": "12345678901234"})
    assert club.members.count() == 1


def test_a_leader_registers_a_contact_of_their_member_company(club, member_leader):
    session = _session(club)
    url = reverse(
        "companies:portal_session_register",
        args=[member_leader.establishment.public_id, session.public_id],
    )
    client = client_of(member_leader.user)
    assert client.post(url, {"contact": member_leader.contact.pk}).status_code == 302
    registration = HrClubRegistration.objects.get()
    assert (registration.contact, registration.attended) == (member_leader.contact, None)
    # Twice: refused, still one row.
    client.post(url, {"contact": member_leader.contact.pk})
    assert HrClubRegistration.objects.count() == 1
    page = client.get(
        reverse("companies:portal_clubs", args=[member_leader.establishment.public_id])
    )
    assert "est inscrit·e" in page.content.decode()


def test_a_leader_of_a_non_member_company_gets_404_on_a_session(club):
    outsider = leader_of()
    session = _session(club)
    url = reverse(
        "companies:portal_session_register",
        args=[outsider.establishment.public_id, session.public_id],
    )
    assert client_of(outsider.user).post(url, {"contact": outsider.contact.pk}).status_code == 404
    assert not HrClubRegistration.objects.exists()


def test_a_leader_cannot_register_another_company_s_contact(club, member_leader):
    session = _session(club)
    stranger = ContactFactory()
    url = reverse(
        "companies:portal_session_register",
        args=[member_leader.establishment.public_id, session.public_id],
    )
    client_of(member_leader.user).post(url, {"contact": stranger.pk})
    assert not HrClubRegistration.objects.exists()


def test_registration_rules(club, member_leader):
    actor = Actor(member_leader.user)
    contact = member_leader.contact
    with pytest.raises(clubs.ClubError, match="passée"):
        clubs.register(_session(club, days=-1), data={"contact": contact}, actor=actor)
    full = _session(club, capacity=1)
    clubs.register(full, data={"contact": contact}, actor=actor)
    with pytest.raises(clubs.ClubError, match="complète"):
        clubs.register(
            full, data={"contact": ContactFactory(establishment=contact.establishment)}, actor=actor
        )
    with pytest.raises(clubs.ClubError, match="membres du club"):
        clubs.register(_session(club), data={"contact": ContactFactory()}, actor=actor)
    member = club.members.get()
    clubs.member_leaves(member, data={}, actor=actor)
    with pytest.raises(clubs.ClubError, match="membres du club"):
        clubs.register(_session(club), data={"contact": contact}, actor=actor)
    assert HrClubRegistration.objects.count() == 1


def test_attendance_is_unknown_until_marked(club, member_leader, officer):
    session = _session(club, days=0)
    registration = clubs.register(
        session, data={"contact": member_leader.contact}, actor=Actor(member_leader.user)
    )
    page = client_of(officer.user).get(reverse("companies:club_session", args=[session.public_id]))
    assert "non renseignée" in page.content.decode()
    url = reverse("companies:club_attendance", args=[session.public_id])
    client_of(officer.user).post(url, {f"presence-{registration.pk}": "present"})
    registration.refresh_from_db()
    assert registration.attended is True


def _resource(club, officer):
    return clubs.add_resource(
        club,
        data={"title": "Guide de l'entretien", "file": SimpleUploadedFile("guide.pdf", PDF)},
        actor=Actor.of(officer),
    )


def test_a_shared_resource_opens_to_members_leaders_and_officers_only(
    club, officer, member_leader, make_member, other_structure
):
    resource = _resource(club, officer)
    document = resource.documents.get()
    url = reverse("core:document", args=[document.public_id])

    def status(user):
        response = client_of(user).get(url)
        release(response)
        return response.status_code

    assert status(member_leader.user) == 200
    assert status(make_member(Role.BUSINESS, other_structure).user) == 200
    assert status(leader_of().user) == 403
    assert status(make_member(Role.PARTNER).user) == 403
    assert status(make_member(Role.FUNDER).user) == 403
    assert RecordAccess.objects.filter(subject_label__contains="Guide de l'entretien").count() == 2


def test_a_former_member_s_leader_no_longer_opens_resources(club, officer, member_leader):
    resource = _resource(club, officer)
    clubs.member_leaves(club.members.get(), data={}, actor=Actor.of(officer))
    url = reverse("core:document", args=[resource.documents.get().public_id])
    assert client_of(member_leader.user).get(url).status_code == 403


def test_a_resource_must_be_a_real_document(club, officer):
    url = reverse("companies:club_resource_add", args=[club.public_id])
    fake = SimpleUploadedFile("guide.pdf", b"not a pdf at all")
    client_of(officer.user).post(url, {"title": "Faux", "file": fake})
    assert not club.resources.exists()


def test_the_club_list_s_queries_do_not_grow_with_clubs(officer, django_assert_max_num_queries):
    client = client_of(officer.user)
    for _ in range(2):
        HrClubFactory(structure=officer.structure)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("companies:clubs"))
    for _ in range(10):
        club = HrClubFactory(structure=officer.structure)
        _session(club)
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("companies:clubs"))


def test_the_events_app_s_club_meetings_show_on_the_club_and_the_portal(
    club, member_leader, officer
):
    from tisserand.companies.hooks import CLUB_MEETINGS, ClubMeeting, hooks

    meeting = ClubMeeting(timezone.localdate(), "Petit-déjeuner RH", "/evenements/x/", "Roubaix")
    hooks.provide(CLUB_MEETINGS, lambda clubs: {c.pk: [meeting] for c in clubs})
    try:
        page = client_of(officer.user).get(reverse("companies:club_detail", args=[club.public_id]))
        assert "Petit-déjeuner RH" in page.content.decode()
        url = reverse("companies:portal_clubs", args=[member_leader.establishment.public_id])
        assert "Petit-déjeuner RH" in client_of(member_leader.user).get(url).content.decode()
    finally:
        hooks.withdraw(CLUB_MEETINGS)


def test_the_club_page_shows_its_history(club, member_leader, officer):
    clubs.add_session(
        club, data={"date": timezone.localdate(), "title": "Atelier"}, actor=Actor.of(officer)
    )
    page = client_of(officer.user).get(reverse("companies:club_detail", args=[club.public_id]))
    assert "Séance programmée : Atelier" in page.content.decode()
