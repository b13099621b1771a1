from django.conf import settings

from tisserand.core.navigation import entries_for


def layout(request):
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    navigation = entries_for(membership) if user and user.is_authenticated else []
    return {
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "navigation": [
            {
                "label": e.label,
                "url": e.url(),
                "current": bool(e.prefix) and request.path.startswith(e.prefix),
            }
            for e in navigation
        ],
        "is_demo_instance": settings.ENVIRONMENT != "production",
    }
