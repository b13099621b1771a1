from tisserand.structures.models import Membership

SESSION_KEY = "current_membership"


def active_memberships(user):
    return list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("structure")
        .order_by("structure__name", "role")
    )


class CurrentMembershipMiddleware:
    """Sets ``request.memberships`` and ``request.membership``, the one the user acts for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = []
        request.membership = None
        if request.user.is_authenticated:
            request.memberships = active_memberships(request.user)
            chosen = request.session.get(SESSION_KEY)
            request.membership = next(
                (m for m in request.memberships if str(m.public_id) == chosen),
                request.memberships[0] if request.memberships else None,
            )
        return self.get_response(request)
