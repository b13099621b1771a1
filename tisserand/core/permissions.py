"""One way to apply permission rules to views.

Rules are plain predicate functions (see each app's ``perms.py``) taking the current
membership — the user's role in the structure they are acting for — and return a bool.
Every view declares its rule with ``@rule(predicate)`` or is declared ``@public``; the
``DefaultDenyMiddleware`` refuses any view that declares neither.

A view about one object (a person, an appointment…) declares its loader with the rule:
``@rule(perms.may_edit, load=person_record)``. The loader takes the request and the URL's
keyword arguments and returns the object (or raises ``Http404``); the predicate then takes
``(membership, obj)``, and the view receives the object as its ``record`` keyword argument.
The declared rule is the real rule: no check left in the view's body.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

RULE_ATTRIBUTE = "tisserand_rule"
LOADER_ATTRIBUTE = "tisserand_loader"


def rule(predicate, *, load=None):
    """The view runs only when ``predicate(request.membership)`` holds — or, with a loader,
    ``predicate(request.membership, load(request, **url_kwargs))``; otherwise 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = getattr(request, "membership", None)
            if load is None:
                if not predicate(membership):
                    raise PermissionDenied
                return view(request, *args, **kwargs)
            record = load(request, **kwargs)
            if not predicate(membership, record):
                raise PermissionDenied
            return view(request, *args, record=record, **kwargs)

        setattr(wrapped, RULE_ATTRIBUTE, predicate)
        setattr(wrapped, LOADER_ATTRIBUTE, load)
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


def loader_of(view):
    """The loader a view's rule declares, or None."""
    return getattr(view, LOADER_ATTRIBUTE, None)


def has_rule(view):
    return hasattr(view, RULE_ATTRIBUTE) or hasattr(
        getattr(view, "view_class", None), RULE_ATTRIBUTE
    )
