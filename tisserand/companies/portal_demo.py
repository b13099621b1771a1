"""Demo data of the HR clubs, the GPEC toolkit and the leader portal (seeder order 46, after
the demo companies of order 40): two HR clubs of the Roubaix–Tourcoing bassin with member
companies, attendees and sessions; one company with a complete GPEC toolkit (4 positions, 10
employees, their skills matrix); and the leader account ``dirigeant@entreprise-demo.test``
(password: the demo one) on that company. Everything is fictitious; running it again changes
nothing. The companies it needs are taken by SIRET, created when the demo companies are absent.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from tisserand.companies import gpec
from tisserand.companies.models import (
    Contact,
    Establishment,
    GpecEmployee,
    GpecLevel,
    GpecPosition,
    HrClub,
    HrClubAttendee,
    HrClubMember,
    HrClubRegistration,
    HrClubSession,
    LeaderAccount,
    LegalUnit,
)
from tisserand.core.actor import Actor
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.rome.models import Appellation
from tisserand.structures.demo import DEMO_PASSWORD
from tisserand.structures.models import Membership, Structure
from tisserand.structures.roles import Role

LEADER_EMAIL = "dirigeant@entreprise-demo.test"
SEED = 46


def demo_siret(serial):
    """A valid SIRET in a range kept for this seeder (SIREN 99980xxx)."""
    siren = f"99980{serial:03d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


COMPANIES = [
    # (serial, name, address, postal code, INSEE, contact first name, last name, job title)
    (
        1,
        "Tissages du Nord (démo)",
        "14 rue de l'Alma",
        "59100",
        "59512",
        "Hélène",
        "Vermeersch",
        "Gérante",
    ),
    (
        2,
        "Logistique de l'Union (démo)",
        "3 boulevard de la Marne",
        "59200",
        "59599",
        "Farid",
        "Bensaïd",
        "Directeur",
    ),
    (
        3,
        "Boulangerie du Pile (démo)",
        "21 rue Jules Guesde",
        "59100",
        "59512",
        "Marie",
        "Lecomte",
        "Cogérante",
    ),
    (
        4,
        "Maçonnerie Wattrelosienne (démo)",
        "8 rue Carnot",
        "59150",
        "59650",
        "Didier",
        "Deruyter",
        "Gérant",
    ),
    (
        5,
        "Aide à domicile Lys (démo)",
        "5 place de la République",
        "59390",
        "59367",
        "Sabrina",
        "Kaci",
        "Responsable RH",
    ),
    (
        6,
        "Numérique Mercure (démo)",
        "40 rue de l'Épeule",
        "59100",
        "59512",
        "Julie",
        "Hennion",
        "Présidente",
    ),
]

CLUBS = [
    (
        "Club RH des TPE de Roubaix (démo)",
        "Recruter et fidéliser dans les très petites entreprises",
        ["59512", "59367"],
        [1, 3, 5, 6],
        [
            (
                -40,
                "Réussir l'intégration d'un nouveau salarié",
                "Maison de l'Emploi, salle Tissage",
            ),
            (12, "Entretiens professionnels : mode d'emploi", "Maison de l'Emploi, salle Tissage"),
            (47, "Attirer des candidats sans CV", "CCAS de Lys-lez-Lannoy"),
        ],
    ),
    (
        "Club dirigeants logistique et industrie (démo)",
        "Anticiper les départs et transmettre les savoir-faire",
        ["59599", "59650", "59512"],
        [1, 2, 4],
        [
            (-25, "Pyramide des âges : lire et agir", "Logistique de l'Union, Tourcoing"),
            (20, "Tutorat et transmission des savoir-faire", "Tissages du Nord, Roubaix"),
        ],
    ),
]

# GPEC of the first company: (title, ROME code) and employees (alias, position index, birth
# year offset from today's year, hire year offset, fixed-term end in days or None).
POSITIONS = [
    ("Opérateur·rice de production textile", "H3302"),
    ("Magasinier·ère cariste", "N1103"),
    ("Conducteur·rice de chariot", "N1101"),
    ("Agent·e de maintenance", "I1203"),
]
EMPLOYEES = [
    ("Bernadette", 0, 62, 31, None),
    ("Jean-Luc", 0, 61, 28, None),
    ("Samira", 0, 38, 9, None),
    ("Kevin", 0, 24, 1, 200),
    ("Patrick", 1, 63, 22, None),
    ("Nadia", 1, 41, 12, None),
    ("Yanis", 2, 29, 4, None),
    ("Océane", 2, 22, 0, 420),
    ("Gérard", 3, 60, 34, None),
    ("Malik", 3, 35, 6, None),
]


def seed(stdout):
    with transaction.atomic():
        companies = _companies()
        officer = _officer()
        actor = Actor.of(officer) if officer else Actor(None)
        clubs = _clubs(companies, officer, actor)
        gpec_done = _gpec(companies[1], actor)
        _leader(companies[1])
    stdout.write(
        f"  {len(clubs)} clubs RH, GPEC {'complète' if gpec_done else 'non créée (ROME absent)'} "
        f"pour {companies[1]}, accès dirigeant {LEADER_EMAIL}."
    )


def _companies():
    found = {}
    for serial, name, address, postal, insee, first, last, title in COMPANIES:
        siret = demo_siret(serial)
        establishment = Establishment.objects.filter(siret=siret).first()
        if establishment is None:
            legal_unit, _ = LegalUnit.objects.get_or_create(
                siren=siret[:9], defaults={"name": name}
            )
            establishment = Establishment.objects.create(
                legal_unit=legal_unit,
                siret=siret,
                name=name,
                search_name=name.lower(),
                is_head_office=True,
                address_line=address,
                postal_code=postal,
                commune=Commune.objects.filter(insee_code=insee).first(),
            )
        if not establishment.contacts.exists():
            Contact.objects.create(
                establishment=establishment,
                first_name=first,
                last_name=last,
                job_title=title,
                email=f"{first.lower()}.{last.lower()}@entreprise-demo.test".replace("ï", "i"),
                consents_to_contact=True,
                consent_given_on=timezone.localdate(),
            )
        found[serial] = establishment
    return found


def _officer():
    return (
        Membership.objects.filter(structure__is_demo=True, role=Role.BUSINESS, is_active=True)
        .select_related("user", "structure")
        .order_by("pk")
        .first()
    )


def _clubs(companies, officer, actor):
    structure = officer.structure if officer else Structure.objects.filter(is_demo=True).first()
    if structure is None:
        return []
    today = timezone.localdate()
    clubs = []
    for name, theme, communes, members, sessions in CLUBS:
        club, created = HrClub.objects.get_or_create(
            name=name,
            defaults={
                "theme": theme,
                "structure": structure,
                "animator": officer.user if officer else None,
            },
        )
        clubs.append(club)
        if not created:
            continue
        club.communes.set(Commune.objects.filter(insee_code__in=communes))
        for serial in members:
            member = HrClubMember.objects.create(
                club=club,
                establishment=companies[serial],
                joined_on=today - datetime.timedelta(days=200 + serial * 30),
            )
            for contact in companies[serial].contacts.all():
                HrClubAttendee.objects.create(member=member, contact=contact)
        for offset, title, place in sessions:
            session = HrClubSession.objects.create(
                club=club,
                date=today + datetime.timedelta(days=offset),
                title=title,
                place=place,
                capacity=15,
            )
            for serial in members[: 2 if offset > 0 else 3]:
                for contact in companies[serial].contacts.all():
                    HrClubRegistration.objects.create(
                        session=session,
                        contact=contact,
                        registered_by=actor.user,
                        attended=True if offset < 0 else None,
                    )
    return clubs


def _gpec(establishment, actor):
    if GpecPosition.objects.filter(establishment=establishment).exists():
        return True
    appellations = {}
    for _, code in POSITIONS:
        appellation = (
            Appellation.objects.filter(fiche__code=code, is_obsolete=False)
            .select_related("fiche")
            .order_by("code_ogr")
            .first()
        )
        if appellation is None:
            return False
        appellations[code] = appellation
    positions = [
        gpec.add_position(
            establishment, data={"title": title, "appellation": appellations[code]}, actor=actor
        )
        for title, code in POSITIONS
    ]
    today = timezone.localdate()
    rng = random.Random(SEED)
    for alias, index, age, seniority, end_days in EMPLOYEES:
        employee = gpec.add_employee(
            establishment,
            data={
                "alias": alias,
                "position": positions[index],
                "birth_year": today.year - age,
                "hire_year": today.year - seniority,
                "is_fixed_term": end_days is not None,
                "contract_end": today + datetime.timedelta(days=end_days) if end_days else None,
            },
            actor=actor,
        )
        rows = []
        for link in positions[index].skills.all():
            # Seniors master their trade; the newest are learning; a few cells stay unrated.
            if rng.random() < 0.12:
                continue
            base = 3 if seniority > 15 else 2 if seniority > 3 else 1
            rows.append(
                GpecLevel(
                    employee=employee,
                    skill_id=link.skill_id,
                    level=max(0, min(3, base - (rng.random() < 0.3))),
                    rated_by=actor.user,
                )
            )
        # Some are rated on a neighbouring position's skills (internal mobility).
        other = positions[(index + 1) % len(positions)]
        for link in list(other.skills.all())[:3]:
            if rng.random() < 0.5:
                rows.append(
                    GpecLevel(
                        employee=employee,
                        skill_id=link.skill_id,
                        level=rng.randint(1, 2),
                        rated_by=actor.user,
                    )
                )
        GpecLevel.objects.bulk_create(rows, ignore_conflicts=True)
    return GpecEmployee.objects.filter(establishment=establishment).exists()


def _leader(establishment):
    user_model = get_user_model()
    user = user_model.objects.filter(email=LEADER_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(
            email=LEADER_EMAIL, password=DEMO_PASSWORD, first_name="Hélène", last_name="Vermeersch"
        )
    LeaderAccount.objects.get_or_create(
        user=user,
        establishment=establishment,
        defaults={"contact": establishment.contacts.order_by("pk").first()},
    )
