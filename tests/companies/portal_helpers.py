"""Helpers of the HR clubs', GPEC toolkit's and leader portal's tests."""

import datetime
import zlib

from django.test import Client
from django.utils import timezone

from tests.accompaniment.factories import appellation
from tests.companies.factories import ContactFactory, EstablishmentFactory, LeaderAccountFactory
from tests.factories import UserFactory
from tisserand.companies import gpec
from tisserand.companies.models import GpecEmployee, GpecLevel, GpecPosition, GpecPositionSkill
from tisserand.core.actor import Actor
from tisserand.referentials.rome.models import FicheSkill, Skill


def leader_of(establishment=None, **kwargs):
    """An active leader account (with its contact) of ``establishment`` (a new one if None)."""
    establishment = establishment or EstablishmentFactory()
    contact = ContactFactory(establishment=establishment)
    return LeaderAccountFactory(establishment=establishment, contact=contact, **kwargs)


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def skills_for(fiche, labels, core=()):
    """ROME skills linked to ``fiche`` (created when missing)."""
    found = []
    for label in labels:
        skill, _ = Skill.objects.get_or_create(
            code_ogr=500000 + zlib.crc32(label.encode()) % 400000,
            defaults={"label": label, "kind": Skill.Kind.KNOW_HOW, "first_version": "4.60"},
        )
        FicheSkill.objects.get_or_create(
            fiche=fiche,
            skill=skill,
            defaults={
                "rubrique": FicheSkill.Rubrique.KNOW_HOW,
                "coeur_metier": FicheSkill.CoeurMetier.PRINCIPALE if label in core else "",
            },
        )
        found.append(skill)
    return found


def bakery_appellation():
    found = appellation()
    skills_for(
        found.fiche,
        ["Pétrir la pâte", "Façonner les pains", "Cuire au four", "Tenir la caisse"],
        core={"Pétrir la pâte", "Cuire au four"},
    )
    return found


def seller_appellation():
    found = appellation(
        code_ogr=12345, label="Vendeur / Vendeuse en boulangerie", rome_code="D1106"
    )
    skills_for(
        found.fiche, ["Tenir la caisse", "Conseiller la clientèle"], core={"Tenir la caisse"}
    )
    return found


def toolkit(establishment, actor=None):
    """Two positions, four employees, a partly filled matrix. Returns a namespace-like dict."""
    actor = actor or Actor(UserFactory())
    year = timezone.localdate().year
    baker = gpec.add_position(
        establishment, data={"appellation": bakery_appellation()}, actor=actor
    )
    seller = gpec.add_position(
        establishment, data={"appellation": seller_appellation()}, actor=actor
    )
    people = {
        "Bernard": gpec.add_employee(
            establishment,
            data={
                "alias": "Bernard",
                "position": baker,
                "birth_year": year - 63,
                "hire_year": year - 30,
            },
            actor=actor,
        ),
        "Lina": gpec.add_employee(
            establishment,
            data={
                "alias": "Lina",
                "position": baker,
                "birth_year": year - 30,
                "hire_year": year - 5,
            },
            actor=actor,
        ),
        "Théo": gpec.add_employee(
            establishment,
            data={
                "alias": "Théo",
                "position": seller,
                "birth_year": year - 22,
                "hire_year": year - 1,
                "is_fixed_term": True,
                "contract_end": timezone.localdate() + datetime.timedelta(days=90),
            },
            actor=actor,
        ),
        "Zoé": gpec.add_employee(
            establishment,
            data={
                "alias": "Zoé",
                "position": seller,
                "birth_year": year - 45,
                "hire_year": year - 10,
            },
            actor=actor,
        ),
    }
    return {"baker": baker, "seller": seller, "people": people, "actor": actor}


def skill_of(position, label):
    return GpecPositionSkill.objects.get(position=position, skill__label=label).skill


def rate(employee, skill, level):
    GpecLevel.objects.update_or_create(employee=employee, skill=skill, defaults={"level": level})


__all__ = [
    "GpecEmployee",
    "GpecPosition",
    "bakery_appellation",
    "client_of",
    "leader_of",
    "rate",
    "seller_appellation",
    "skill_of",
    "toolkit",
]
