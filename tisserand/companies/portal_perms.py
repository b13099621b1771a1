"""Rules of the HR clubs, the GPEC toolkit and the leader portal (plain predicates taking the
membership, as everywhere). Officers are the members whose role holds ``MANAGE_COMPANIES``
(edit) or ``SEE_COMPANIES`` (read); a leader has no membership: the portal's views load the
establishment with ``portal.leader_establishment`` (404 for anyone but its active leaders)."""

from django.shortcuts import get_object_or_404

from tisserand.companies import portal
from tisserand.companies.models import (
    Establishment,
    HrClub,
    HrClubMember,
    HrClubSession,
    LeaderAccount,
)
from tisserand.structures.roles import Capability, has_capability


def sees_companies(membership):
    return has_capability(membership, Capability.SEE_COMPANIES)


def manages_companies(membership):
    return has_capability(membership, Capability.MANAGE_COMPANIES)


def leader(membership, establishment):
    """The portal's rule: the loader has already refused whoever does not lead the company."""
    return establishment is not None


# --- Loaders ---------------------------------------------------------------------------------


def establishment_record(request, public_id, **_):
    return get_object_or_404(
        Establishment.objects.select_related("legal_unit", "commune"), public_id=public_id
    )


def club_record(request, public_id, **_):
    return get_object_or_404(
        HrClub.objects.select_related("structure", "animator"), public_id=public_id
    )


def session_record(request, public_id, **_):
    return get_object_or_404(
        HrClubSession.objects.select_related("club__structure"), public_id=public_id
    )


def leader_session(request, public_id, session_id, **_):
    """(establishment, session) of a portal URL: the leader's company and a session of a club it
    is an active member of (404 otherwise)."""
    establishment = portal.leader_establishment(request, public_id)
    session = get_object_or_404(
        HrClubSession.objects.select_related("club"),
        public_id=session_id,
        club__members__establishment=establishment,
        club__members__left_on__isnull=True,
    )
    return establishment, session


def leader_session_rule(membership, pair):
    return pair is not None


# --- Predicates on objects ---------------------------------------------------------------------


def may_manage_gpec(membership, establishment):
    return manages_companies(membership)


def may_see_club(membership, club):
    return sees_companies(membership)


def may_edit_club(membership, club):
    return manages_companies(membership) and club.structure_id == membership.structure_id


def may_edit_session(membership, session):
    return may_edit_club(membership, session.club)


def may_manage_leaders(membership, establishment):
    return manages_companies(membership)


# --- Documents of a club's shared resources (``core.documents.attachables``) ----------------


def resource_record(request, resource):
    """What a resource's rule reads: the user, and whether they lead an active member."""
    user = request.user
    member_leader = (
        user.is_authenticated
        and LeaderAccount.objects.filter(
            user=user,
            is_active=True,
            establishment__in=HrClubMember.objects.filter(
                club_id=resource.club_id, left_on__isnull=True
            ).values("establishment"),
        ).exists()
    )
    return {"resource": resource, "member_leader": member_leader}


def may_open_resource(membership, record):
    return manages_companies(membership) or record["member_leader"]
