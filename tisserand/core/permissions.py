"""One way to apply permission rules to views.

Rules are plain predicate functions (see each app's ``perms.py``) taking the current
membership — the user's role in the structure they are acting for — and return a bool.
Every view declares its rule with ``@rule(predicate)`` or is declared ``@public``; the
``DefaultDenyMiddleware`` refuses any view that declares neither.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

RULE_ATTRIBUTE = "tisserand_rule"


def rule(predicate):
    """The view runs only when ``predicate(request.membership)`` holds; otherwise 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(getattr(request, "membership", None)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapped, RULE_ATTRIBUTE, predicate)
        return wrapped

    return decorator


def public(view):
    """The view is open to anyone, logged in or not."""
    view = login_not_required(view)
    setattr(view, RULE_ATTRIBUTE, "public")
    return view


def ensure(allowed):
    """Inside a view, for rules on an object: refuse unless ``allowed`` is true."""
    if not allowed:
        raise PermissionDenied


def any_user(membership):
    """Any logged-in user, whether or not they act for a structure."""
    return True


def acts_for_a_structure(membership):
    """A logged-in user acting for one of their structures."""
    return membership is not None


def has_rule(view):
    return hasattr(view, RULE_ATTRIBUTE) or hasattr(
        getattr(view, "view_class", None), RULE_ATTRIBUTE
    )
