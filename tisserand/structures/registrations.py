"""What the structures app adds to the navigation and to the home page, and the accounts hook
it provides (whose roles open personal data)."""

from tisserand.accounts import hooks as accounts_hooks
from tisserand.core import home, navigation
from tisserand.core.permissions import acts_for_a_structure
from tisserand.structures import perms
from tisserand.structures import retention as structures_retention
from tisserand.structures.models import Invitation, Membership
from tisserand.structures.roles import any_role_sees_personal_data


def _sees_personal_data(user):
    """The MFA rule of accounts: one of the user's active roles opens personal data."""
    roles = user.memberships.filter(is_active=True).values_list("role", flat=True)
    return any_role_sees_personal_data(roles)


def _active_members(membership):
    count = Membership.objects.filter(structure=membership.structure, is_active=True).count()
    return count, f"membre{'s' if count > 1 else ''} actif{'s' if count > 1 else ''}"


def _pending_invitations(membership):
    count = sum(
        1
        for invitation in Invitation.objects.filter(
            structure=membership.structure, accepted_at__isnull=True, revoked_at__isnull=True
        )
        if invitation.is_pending
    )
    return count, f"invitation{'s' if count > 1 else ''} en attente"


def register_all():
    structures_retention.register_all()
    accounts_hooks.hooks.provide(accounts_hooks.SEES_PERSONAL_DATA, _sees_personal_data)
    navigation.register(navigation.NavEntry("Accueil", "core:home", acts_for_a_structure, order=0))
    navigation.register(
        navigation.NavEntry(
            "Annuaire du réseau",
            "structures:directory",
            perms.can_browse_directory,
            order=90,
            prefix="/structures/",
        )
    )
    home.register(
        home.HomeCard(
            "Membres de ma structure",
            "Qui travaille avec vous, avec quel rôle.",
            "Voir les membres",
            "structures:members",
            perms.can_see_own_members,
            order=10,
            figure=_active_members,
            url_takes_structure=True,
        )
    )
    home.register(
        home.HomeCard(
            "Inviter un membre",
            "Envoyez une invitation par e-mail ; désactivez les accès des personnes parties.",
            "Inviter un membre",
            "structures:invite",
            perms.can_manage_own_members,
            order=11,
            figure=_pending_invitations,
            url_takes_structure=True,
        )
    )
    home.register(
        home.HomeCard(
            "Journal des accès",
            "Qui a ouvert quel dossier de personne suivie par votre structure, et quand.",
            "Consulter le journal",
            "structures:access_log",
            perms.can_read_own_access_log,
            order=12,
            url_takes_structure=True,
        )
    )
    home.register(
        home.HomeCard(
            "Ma structure",
            "Coordonnées de votre structure et historique de ses modifications.",
            "Voir la fiche",
            "structures:detail",
            acts_for_a_structure,
            order=13,
            url_takes_structure=True,
        )
    )
    home.register(
        home.HomeCard(
            "Annuaire du réseau",
            "Les structures partenaires : France Travail, mission locale, CCAS, PLIE, SIAE…",
            "Ouvrir l'annuaire",
            "structures:directory",
            perms.can_browse_directory,
            order=90,
        )
    )
