"""Who acts: the user and the membership they act through (their role in one structure).

Every service takes an ``actor=``: a page builds it from the request, the REST API from its
token. The timeline records ``actor.user`` and ``actor.structure``.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    # Django models (a user, a ``structures.Membership``): untyped, Django ships no types.
    user: Any
    membership: Any = None

    @property
    def structure(self):
        return self.membership.structure if self.membership is not None else None

    @property
    def role(self):
        return self.membership.role if self.membership is not None else None

    @classmethod
    def of(cls, membership):
        """The member of ``membership`` acting for its structure."""
        return cls(membership.user, membership)

    @classmethod
    def from_request(cls, request):
        """The logged-in user acting for the structure chosen for this request (if any)."""
        return cls(request.user, getattr(request, "membership", None))
