"""What the permission matrix is written with: who asks, the sets of roles, ``Expect``, and
the URL keyword arguments taken from a structure's demo objects.

The table itself is ``EXPECTED`` in ``test_url_matrix.py`` for the apps built first, and one
module per later app in ``tests/core/matrix_parts/`` (its ``EXPECTED`` and the ``build(demo)``
that adds the demo objects its URLs need), so that each app declares its own URLs.
"""

from dataclasses import dataclass, field

from tisserand.structures.roles import Role

# --- Who asks ---------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
LONER = "user without membership"
ACTORS = (*Role, ANONYMOUS, LONER)

A_ROLES = frozenset(Role)
EVERYONE = frozenset(ACTORS)
LOGGED_IN = EVERYONE - {ANONYMOUS}
NOBODY = frozenset()
SEE_PERSONAL_DATA = A_ROLES - {Role.FUNDER}
# A's person is followed by A's référent; A's administrator and director oversee it.
SEE_PERSON = frozenset({Role.ADMIN, Role.REFERENT, Role.DIRECTOR})
EDIT_PERSON = frozenset({Role.ADMIN, Role.REFERENT})
CARE = frozenset({Role.REFERENT})
FOLLOW_OR_OVERSEE = frozenset(
    {Role.ADMIN, Role.REFERENT, Role.CLAUSE_FACILITATOR, Role.DIRECTOR, Role.PARTNER}
)
USE_GUIDANCE = frozenset({Role.ADMIN, Role.REFERENT, Role.BUSINESS, Role.DIRECTOR, Role.PARTNER})
HANDLE_CONTACT_REQUESTS = frozenset({Role.ADMIN, Role.REFERENT, Role.DIRECTOR})
ADMIN = frozenset({Role.ADMIN})
OPEN_COLLEAGUE_AGENDA = frozenset({Role.REFERENT, Role.DIRECTOR})

SAME_AS_GET = object()
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Expect:
    """Who may open the URL: ``get`` and ``post`` on A's objects (``post`` empty when the view
    refuses the method), ``other`` on B's objects (the POST on B's: ``other & post``)."""

    get: frozenset
    post: object = SAME_AS_GET
    other: frozenset = NOBODY
    # Keyword arguments of the URL from the demo objects of one structure.
    kwargs: object = field(default=lambda demo: {})
    # Query string of the URL from the same demo objects (the view reads it to load its object).
    query: object = field(default=lambda demo: "")

    @property
    def post_allowed(self):
        return self.get if self.post is SAME_AS_GET else self.post


def post_only(roles, **more):
    return Expect(get=NOBODY, post=roles, **more)


def get_only(roles, **more):
    return Expect(get=roles, post=NOBODY, **more)


def _of(name):
    """URL keyword ``public_id`` of the demo object ``name``."""
    return lambda demo: {"public_id": getattr(demo, name).public_id}


def _accompaniment_with(more):
    return lambda demo: {"public_id": demo.accompaniment.public_id, **more(demo)}


def _person_with(more):
    return lambda demo: {"public_id": demo.person.public_id, **more(demo)}


PERSON = _of("person")
ACCOMPANIMENT = _of("accompaniment")
APPOINTMENT = _of("appointment")
STRUCTURE = _of("structure")
PERSON_ID = lambda demo: {"person_id": demo.person.public_id}  # noqa: E731
COLLEAGUE = lambda demo: {"user_id": demo.colleague.user.public_id}  # noqa: E731
PROGRAMME = lambda demo: {"pk": demo.programme.pk}  # noqa: E731
SUGGESTION = lambda demo: {"pk": demo.suggestion.pk}  # noqa: E731
FICHE = lambda demo: {"code": demo.fiche.code}  # noqa: E731
