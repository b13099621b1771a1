"""Factories of the opportunities app: France Travail « Offres d'emploi v2 » offers written
by the suite itself, and offers in the database."""

import copy
import json

import factory
from django.utils import timezone

from tisserand.opportunities.models import Introduction, JobOffer, OfferSource


def ft_offer(offer_id="200ABCD", **overrides):
    """One offer in France Travail's v2 JSON format."""
    offer = {
        "id": offer_id,
        "intitule": "Boulanger / Boulangère H/F",
        "description": "Fabrication du pain, viennoiseries. Travail de nuit le week-end.",
        "dateCreation": "2026-11-20T09:00:00.000Z",
        "dateActualisation": "2026-11-25T09:00:00.000Z",
        "lieuTravail": {
            "libelle": "59 - ROUBAIX",
            "latitude": 50.69,
            "longitude": 3.18,
            "codePostal": "59100",
            "commune": "59512",
        },
        "romeCode": "D1102",
        "romeLibelle": "Boulangerie - viennoiserie",
        "appellationlibelle": "Boulanger / Boulangère",
        "entreprise": {"nom": "BOULANGERIE DU NORD", "entrepriseAdaptee": False},
        "typeContrat": "CDI",
        "typeContratLibelle": "Contrat à durée indéterminée",
        "natureContrat": "Contrat travail",
        "alternance": False,
        "nombrePostes": 1,
        "experienceExige": "D",
        "experienceLibelle": "Débutant accepté",
        "formations": [
            {"domaineLibelle": "boulangerie", "niveauLibelle": "CAP, BEP et équivalents"}
        ],
        "langues": [],
        "permis": [{"libelle": "B - Véhicule léger", "exigence": "E"}],
        "competences": [
            {"code": "100001", "libelle": "Pétrir la pâte", "exigence": "E"},
            {"code": "100002", "libelle": "Façonner les pâtons", "exigence": "S"},
        ],
        "qualitesProfessionnelles": [{"libelle": "Rigueur", "description": "…"}],
        "qualificationCode": "6",
        "salaire": {"libelle": "Mensuel de 1900 Euros", "commentaire": "selon profil"},
        "dureeTravailLibelle": "35H Horaires de nuit",
        "dureeTravailLibelleConverti": "Temps plein",
        "contact": {"nom": "BOULANGERIE DU NORD", "urlPostulation": "https://exemple.fr/postuler"},
        "origineOffre": {
            "origine": "1",
            "urlOrigine": "https://candidat.francetravail.fr/offres/200ABCD",
        },
        "accessibleTH": True,
        "secteurActivite": "10",
        "secteurActiviteLibelle": "Boulangerie et boulangerie-pâtisserie",
    }
    result = copy.deepcopy(offer)
    result.update(overrides)
    return result


def ft_offers(count, prefix="FT"):
    return [ft_offer(f"{prefix}{n:05d}") for n in range(count)]


def ft_file(tmp_path, offers, name="offres.json", wrap=True):
    path = tmp_path / name
    path.write_text(json.dumps({"resultats": offers} if wrap else offers), encoding="utf-8")
    return path


class JobOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobOffer

    source = OfferSource.OWN
    title = factory.Sequence(lambda n: f"Offre {n}")
    positions = 1


class IntroductionFactory(factory.django.DjangoModelFactory):
    """A person proposed for an own offer, with consent."""

    class Meta:
        model = Introduction

    person = factory.SubFactory("tests.people.factories.PersonFactory")
    offer = factory.SubFactory(JobOfferFactory)
    structure = factory.SelfAttribute("person.owner_structure")
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_text = "La personne accepte d'être proposée."
    answer_digest = factory.Sequence(lambda n: f"{n:064d}")
