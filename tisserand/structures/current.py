"""Which structure a user acts for: their active memberships and the one a request names.

A page names it in the session (``CurrentMembershipMiddleware``), the REST API in its token:
both resolve it here, with the same rule.
"""

from tisserand.structures.models import Membership


def active_memberships(user):
    """The user's active memberships, by structure name then role."""
    return list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("structure")
        .order_by("structure__name", "role")
    )


def choose_membership(memberships, requested_public_id=None):
    """The membership of ``memberships`` whose public id is ``requested_public_id``, else the
    first one (None if there is none): a user never acts through a membership not theirs."""
    requested = str(requested_public_id) if requested_public_id else None
    return next(
        (m for m in memberships if str(m.public_id) == requested),
        memberships[0] if memberships else None,
    )


def resolve_membership(user, requested_public_id=None):
    """The active membership ``user`` acts through for this request (None if they have none)."""
    if not user.is_authenticated:
        return None
    return choose_membership(active_memberships(user), requested_public_id)
