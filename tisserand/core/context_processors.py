from django.conf import settings
from django.utils.functional import SimpleLazyObject

from tisserand.core.navigation import entries_for


def layout(request):
    return {
        "current_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", []),
        # Built only when a template shows it: a page's sections, rendered with the request,
        # never rebuild the menu.
        "navigation": SimpleLazyObject(lambda: _navigation(request)),
        "is_demo_instance": settings.ENVIRONMENT != "production",
    }


def _navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return []
    return [
        {
            "label": entry.label,
            "url": entry.url(),
            "current": bool(entry.prefix) and request.path.startswith(entry.prefix),
        }
        for entry in entries_for(getattr(request, "membership", None))
    ]
