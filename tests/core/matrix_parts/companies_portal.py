"""The permission matrix of the HR clubs, the GPEC toolkit and the leader portal.

Officers read the clubs (SEE_COMPANIES) and the animating structure's officers edit them
(MANAGE_COMPANIES); the GPEC toolkit and the leader accounts of a company are for officers
who manage companies, whatever the structure (the company record is the network's). The
portal answers 404 to every actor of the matrix — none leads a company; the leaders
themselves are tested in ``tests/companies/test_portal.py``."""

import datetime

from django.utils import timezone

from tests.accompaniment.factories import appellation
from tests.companies.factories import ContactFactory, EstablishmentFactory, NeedFactory
from tests.companies.portal_helpers import leader_of
from tests.core.matrix import A_ROLES, EVERYONE, LOGGED_IN, NOBODY, Expect, get_only, post_only
from tisserand.companies import gpec, portal_invitations
from tisserand.companies.models import (
    HrClub,
    HrClubMember,
    HrClubSession,
    LeaderInvitation,
)
from tisserand.core.actor import Actor
from tisserand.structures.roles import Capability, Role, roles_with

SEE = roles_with(Capability.SEE_COMPANIES) & A_ROLES
MANAGE = roles_with(Capability.MANAGE_COMPANIES) & A_ROLES


def _company(demo):
    return {"public_id": demo.portal_company.public_id}


def _club(demo):
    return {"public_id": demo.portal_club.public_id}


def _club_member(demo):
    return {"public_id": demo.portal_club.public_id, "member_id": demo.portal_member.pk}


def _session(demo):
    return {"public_id": demo.portal_session.public_id}


def _portal_session(demo):
    return {**_company(demo), "session_id": demo.portal_session.public_id}


def _position(demo):
    return {**_company(demo), "position_id": demo.portal_position.public_id}


def _position_link(demo):
    return {**_position(demo), "link_id": demo.portal_link.pk}


def _employee(demo):
    return {**_company(demo), "employee_id": demo.portal_employee.public_id}


GPEC_KWARGS = {
    "home": _company,
    "retirement": _company,
    "positions": _company,
    "position": _position,
    "position_remove": _position,
    "position_skill_remove": _position_link,
    "employees": _company,
    "employee": _employee,
    "employee_remove": _employee,
    "matrix": _company,
    "pdf": _company,
    "xlsx": _company,
}


def _gpec_expectations():
    table = {}
    for page, kwargs in GPEC_KWARGS.items():
        suffix = "" if page == "home" else f"_{page}"
        # The actions (removals…) asked in GET show the page their form is on.
        table[f"companies:gpec{suffix}"] = Expect(MANAGE, other=MANAGE, kwargs=kwargs)
        table[f"companies:portal_gpec{suffix}"] = Expect(NOBODY, kwargs=kwargs)
    return table


EXPECTED = {
    "companies:clubs": Expect(SEE),
    "companies:club_create": Expect(MANAGE),
    "companies:club_detail": Expect(SEE, other=SEE, kwargs=_club),
    "companies:club_edit": Expect(MANAGE, kwargs=_club),
    "companies:club_member_add": post_only(MANAGE, kwargs=_club),
    "companies:club_member_leave": post_only(MANAGE, kwargs=_club_member),
    "companies:club_attendee_add": post_only(MANAGE, kwargs=_club_member),
    "companies:club_session_add": post_only(MANAGE, kwargs=_club),
    "companies:club_resource_add": post_only(MANAGE, kwargs=_club),
    "companies:club_session": get_only(SEE, other=SEE, kwargs=_session),
    "companies:club_attendance": post_only(MANAGE, kwargs=_session),
    **_gpec_expectations(),
    "companies:leaders": Expect(MANAGE, other=MANAGE, kwargs=_company),
    # Posted from the leaders' page; asked in GET, they show it.
    "companies:leader_deactivate": Expect(
        MANAGE,
        other=MANAGE,
        kwargs=lambda demo: {**_company(demo), "account_id": demo.portal_leader.public_id},
    ),
    "companies:leader_invitation_revoke": Expect(
        MANAGE,
        other=MANAGE,
        kwargs=lambda demo: {**_company(demo), "invitation_id": demo.portal_invitation.public_id},
    ),
    # Any logged-in user: their companies, or a message that they lead none.
    "companies:portal": Expect(LOGGED_IN),
    # Public: the secret of the link is the proof (a valid one here: the password form).
    "companies:portal_accept": Expect(
        EVERYONE, other=EVERYONE, kwargs=lambda demo: {"token": demo.portal_token}
    ),
    "companies:portal_company": Expect(NOBODY, kwargs=_company),
    "companies:portal_needs": Expect(NOBODY, kwargs=_company),
    "companies:portal_need": Expect(
        NOBODY, kwargs=lambda demo: {**_company(demo), "need_id": demo.portal_need.public_id}
    ),
    "companies:portal_clubs": Expect(NOBODY, kwargs=_company),
    "companies:portal_session_register": post_only(NOBODY, kwargs=_portal_session),
    "companies:portal_session_unregister": post_only(NOBODY, kwargs=_portal_session),
    "companies:portal_picker": get_only(NOBODY, kwargs=_company),
}


def build(demo):
    business = demo.members[Role.BUSINESS]
    actor = Actor.of(business)
    company = EstablishmentFactory()
    contact = ContactFactory(establishment=company, email=f"dirigeant-{company.pk}@exemple.invalid")
    club = HrClub.objects.create(
        name=f"Club RH {demo.structure.name}", structure=demo.structure, animator=business.user
    )
    member = HrClubMember.objects.create(
        club=club, establishment=company, joined_on=datetime.date(2025, 1, 1)
    )
    session = HrClubSession.objects.create(
        club=club, date=timezone.localdate() + datetime.timedelta(days=30), title="Séance"
    )
    position = gpec.add_position(company, data={"appellation": appellation()}, actor=actor)
    link = gpec.add_position_skill(position, data={"label": "Accueillir la clientèle"}, actor=actor)
    employee = gpec.add_employee(
        company,
        data={"alias": "Camille", "position": position, "birth_year": 1980, "hire_year": 2010},
        actor=actor,
    )
    token = f"jeton-de-test-{company.pk}"
    now = timezone.now()
    invitation = LeaderInvitation.objects.create(
        establishment=company,
        contact=contact,
        email=contact.email,
        token_digest=portal_invitations.digest(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )
    return {
        "portal_company": company,
        "portal_club": club,
        "portal_member": member,
        "portal_session": session,
        "portal_position": position,
        "portal_link": link,
        "portal_employee": employee,
        "portal_leader": leader_of(company),
        "portal_invitation": invitation,
        "portal_token": token,
        "portal_need": NeedFactory(establishment=company),
    }
