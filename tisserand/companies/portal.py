"""The leader portal's entries: what a company leader (``LeaderAccount``) can open.

The companies app builds the portal (needs, GPEC toolkit, HR clubs); a higher app adds its own
part of it — the offers of the opportunities app, the clause declarations of the clauses app,
the event registrations of the events app — by registering a ``PortalEntry`` in its
``AppConfig.ready()``. Each entry's URL takes the establishment's ``public_id``.
"""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from tisserand.companies.models import Establishment, LeaderAccount
from tisserand.core.registry import Registry


@dataclass(frozen=True)
class PortalEntry:
    key: str
    label: str
    # URL name, reversed with ``public_id`` = the establishment's public id.
    url_name: str
    description: str = ""
    order: int = 100


entries: Registry[PortalEntry] = Registry("Portail des dirigeants")
register = entries.register


def leader_accounts(user):
    """The active leader accounts of ``user`` (one per establishment they lead)."""
    if user is None or not user.is_authenticated:
        return LeaderAccount.objects.none()
    return LeaderAccount.objects.filter(user=user, is_active=True).select_related(
        "establishment__legal_unit"
    )


def leads(user, establishment):
    """Whether ``user`` is an active leader of ``establishment``."""
    return leader_accounts(user).filter(establishment=establishment).exists()


def leader_establishment(request, public_id, **_):
    """Loader of the portal's views (``@rule(any_user, load=leader_establishment)``): the
    establishment the URL names, only for one of its active leaders (404 for anyone else)."""
    establishment = get_object_or_404(
        Establishment.objects.select_related("legal_unit"), public_id=public_id
    )
    if not leads(request.user, establishment):
        raise Http404
    return establishment
