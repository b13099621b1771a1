"""To whom, and for what, a consent can apply: a consent is offered and recorded only where a
rule of ``people.perms`` (or of a service) will honour it.

- **Recipients**: a consent opens a record to the members of its structure who act as partner
  or read the follow-up as « partenaire, lecture » (``people.perms.access_for``). A structure
  can receive one only if some of its active members hold a role that sees persons at all
  (never a funder's, whose roles see aggregates only), and never a funder structure.
- **Scopes**: each scope is honoured by the rule of the app that shows that part of the record;
  each app registers the scopes it honours in ``people.consent_scopes``; a scope no installed app
  honours is neither offered nor accepted.
"""

from django.db.models import Exists, OuterRef

from tisserand.core.errors import DomainError
from tisserand.people import consent_scopes
from tisserand.structures.models import Membership, Structure, StructureKind
from tisserand.structures.roles import Capability, roles_with


class ConsentRefused(DomainError):
    code = "consent_refused"


def honoured_scope_choices():
    """The scopes some installed rule honours, in their order."""
    return consent_scopes.choices()


def _seeing_members():
    return Membership.objects.active().filter(
        structure=OuterRef("pk"), role__in=roles_with(Capability.SEE_PERSONAL_DATA)
    )


def with_effect(consents):
    """``consents`` annotated ``has_effect``: whether a rule can honour each one today (its
    structure is active, not a funder, with a member whose role sees persons). A consent
    recorded before these rules, to a structure that can never see persons, is shown « sans
    effet », never « en vigueur ». Same number of queries."""
    honourable = Structure.objects.filter(
        pk=OuterRef("structure_id"), is_active=True, pk__in=_recipient_structures()
    )
    return consents.annotate(has_effect=Exists(honourable))


def _recipient_structures():
    return (
        Structure.objects.filter(is_active=True)
        .exclude(kind=StructureKind.FUNDER)
        .filter(Exists(_seeing_members()))
        .values("pk")
    )


def consent_recipients(person):
    """The structures a consent of ``person`` can be given to (the owner's excluded)."""
    return (
        Structure.objects.filter(is_active=True)
        .exclude(kind=StructureKind.FUNDER)
        .exclude(pk=person.owner_structure_id)
        .filter(Exists(_seeing_members()))
        .order_by("name")
    )


def check_consent(consent):
    """Raises ``ConsentRefused`` (in French) unless a rule can honour ``consent``."""
    if not consent_recipients(consent.person).filter(pk=consent.structure_id).exists():
        raise ConsentRefused(
            f"Un consentement envers {consent.structure} resterait sans effet : ses membres ne "
            "voient jamais les personnes accompagnées."
        )
    unknown = set(consent.scopes) - {value for value, _ in honoured_scope_choices()}
    if unknown or not consent.scopes:
        raise ConsentRefused("Choisissez des informations que le partage peut réellement ouvrir.")
