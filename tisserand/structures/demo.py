"""The demo territory: Roubaix and Lys-lez-Lannoy, fictitious structures and accounts."""

from django.contrib.auth import get_user_model
from django.db import transaction
from stdnum import luhn

from tisserand.core import timeline
from tisserand.core.validators import normalise_phone
from tisserand.structures.models import Membership, Structure, StructureKind
from tisserand.structures.roles import Role

DEMO_PASSWORD = "Tisserand-Demo-2026"


def demo_siret(serial):
    """A valid SIRET (SIREN and SIRET keys) in a range kept for the demo (SIREN 9999xxxx)."""
    siren = f"9999{serial:04d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


STRUCTURES = [
    # (key, name, kind, address, postal code, commune, INSEE, phone)
    (
        "mde",
        "Maison de l'Emploi de Roubaix et Lys-lez-Lannoy (démo)",
        StructureKind.MAISON_EMPLOI,
        "12 rue du Grand Chemin",
        "59100",
        "Roubaix",
        "59512",
        "03 20 00 00 01",
    ),
    (
        "ft",
        "France Travail Roubaix Centre (démo)",
        StructureKind.FRANCE_TRAVAIL,
        "45 boulevard Gambetta",
        "59100",
        "Roubaix",
        "59512",
        "03 20 00 00 02",
    ),
    (
        "ml",
        "Mission locale Roubaix-Lys (démo)",
        StructureKind.MISSION_LOCALE,
        "8 place de la Liberté",
        "59100",
        "Roubaix",
        "59512",
        "03 20 00 00 03",
    ),
    (
        "ccas",
        "CCAS de Lys-lez-Lannoy (démo)",
        StructureKind.CCAS,
        "1 place de la République",
        "59390",
        "Lys-lez-Lannoy",
        "59367",
        "03 20 00 00 04",
    ),
    (
        "plie",
        "PLIE Roubaix-Lys (démo)",
        StructureKind.PLIE,
        "12 rue du Grand Chemin",
        "59100",
        "Roubaix",
        "59512",
        "03 20 00 00 05",
    ),
    (
        "siae",
        "Atelier Chantier d'Insertion du Textile (démo)",
        StructureKind.SIAE,
        "30 rue de l'Épeule",
        "59100",
        "Roubaix",
        "59512",
        "03 20 00 00 06",
    ),
    (
        "funder",
        "Métropole — service emploi (financeur, démo)",
        StructureKind.FUNDER,
        "2 boulevard des Cités Unies",
        "59000",
        "Lille",
        "59350",
        "03 20 00 00 07",
    ),
]

ACCOUNTS = [
    # (email, first name, last name, [(structure key, role)])
    ("admin@mde-roubaix.test", "Amina", "Benali", [("mde", Role.ADMIN)]),
    ("referent@mde-roubaix.test", "Julien", "Lefebvre", [("mde", Role.REFERENT)]),
    ("entreprises@mde-roubaix.test", "Sophie", "Vandenberghe", [("mde", Role.BUSINESS)]),
    ("clauses@mde-roubaix.test", "Karim", "Haddad", [("mde", Role.CLAUSE_FACILITATOR)]),
    (
        "direction@mde-roubaix.test",
        "Claire",
        "Delannoy",
        [("mde", Role.DIRECTOR), ("plie", Role.DIRECTOR)],
    ),
    ("partenaire@ml-roubaix.test", "Thomas", "Dubois", [("ml", Role.PARTNER)]),
    ("financeur@metropole.test", "Nadia", "Moreau", [("funder", Role.FUNDER)]),
    ("admin@ml-roubaix.test", "Paul", "Duhamel", [("ml", Role.ADMIN)]),
]


@transaction.atomic
def seed():
    """Creates what is missing; running it again changes nothing. Returns the demo accounts."""
    structures = {}
    for serial, (key, name, kind, address, postal, commune, insee, phone) in enumerate(
        STRUCTURES, start=1
    ):
        structure, created = Structure.objects.get_or_create(
            siret=demo_siret(serial),
            defaults={
                "name": name,
                "kind": kind,
                "address_line": address,
                "postal_code": postal,
                "commune_name": commune,
                "commune_insee": insee,
                "phone": normalise_phone(phone),
                "email": f"contact@{key}.demo.test",
                "is_demo": True,
            },
        )
        if created:
            timeline.record_creation(structure, summary="Structure créée (démonstration)")
        structures[key] = structure
    user_model = get_user_model()
    accounts = []
    for email, first_name, last_name, roles in ACCOUNTS:
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
            )
        for key, role in roles:
            Membership.objects.get_or_create(user=user, structure=structures[key], role=role)
        accounts.append(
            (
                email,
                ", ".join(f"{Role(role).label} — {structures[key].name}" for key, role in roles),
            )
        )
    return accounts


def demo_accounts():
    """Every account with a role in a demo structure, with its roles: (email, description)."""
    memberships = (
        Membership.objects.filter(structure__is_demo=True, is_active=True)
        .select_related("user", "structure")
        .order_by("user__email", "structure__name")
    )
    roles_by_email = {}
    for membership in memberships:
        roles_by_email.setdefault(membership.user.email, []).append(
            f"{membership.get_role_display()} — {membership.structure.name}"
        )
    return [(email, ", ".join(roles)) for email, roles in roles_by_email.items()]
