from tisserand.structures.current import active_memberships, choose_membership

SESSION_KEY = "current_membership"


class CurrentMembershipMiddleware:
    """Sets ``request.memberships`` and ``request.membership``, the one the user acts for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = []
        request.membership = None
        if request.user.is_authenticated:
            request.memberships = active_memberships(request.user)
            request.membership = choose_membership(
                request.memberships, request.session.get(SESSION_KEY)
            )
        return self.get_response(request)
