"""Demo offers and introductions, seeded after the demo companies (40–46) and accompaniments
(50): some 150 offers generated in France Travail's « Offres d'emploi v2 » format, in the
Roubaix–Tourcoing bassin and around, imported through the same importer (tied to the demo
companies where their SIRET matches), a few own offers of the Maison de l'Emploi on the demo
companies, saved searches, and introductions of demo persons at every state. Fictitious;
running it again changes nothing."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tisserand.companies.models import Establishment
from tisserand.core.actor import Actor
from tisserand.opportunities import services
from tisserand.opportunities.importing import francetravail, sync
from tisserand.opportunities.models import (
    Introduction,
    IntroductionStatus,
    JobOffer,
    OfferSource,
    SavedSearch,
)
from tisserand.people.models import CARING_ROLES, FollowUpMember, Person
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.rome.models import Appellation, FicheSkill
from tisserand.structures.models import Membership
from tisserand.structures.roles import Capability, roles_with

SEED = 2026
DEMO_PREFIX = "DEMO"
OFFERS = 150
FICHES = [
    "K2204", "N1103", "D1505", "J1501", "G1602", "F1703", "N4105", "D1106", "K1304",
    "M1607", "F1603", "H3302", "D1102", "G1803", "N1105", "K2303", "I1604", "J1301",
]  # fmt: skip
BASSIN_COMMUNES = [
    "59512", "59599", "59367", "59650", "59527", "59009", "59421", "59350", "59279",
    "59163", "59598", "59508", "59410",
]  # fmt: skip
COMPANIES = [
    "Propreté du Nord", "Logistique des Flandres", "Boulangerie Lebrun", "Résidence Les Tilleuls",
    "Bâtiment Roubaisien", "Transports Vandamme", "Supermarché du Pile", "Aide à domicile 59",
    "Restaurant La Fileuse", "Garage de l'Union", "Atelier textile Motte", "Cabinet Lys Conseil",
]  # fmt: skip
CONTRACTS = ["CDI", "CDI", "CDD", "CDD", "MIS", "MIS", "SAI", "DDI"]
WORKING = ["Temps plein", "Temps plein", "Temps partiel"]
HOURS = [
    "35H Horaires normaux",
    "35H Travail en équipe",
    "24H Travail le samedi",
    "35H Horaires de nuit",
]


def seed(stdout):
    if JobOffer.objects.filter(external_id__startswith=DEMO_PREFIX).exists():
        stdout.write("  Offres de démonstration déjà présentes.")
        return
    rng = random.Random(SEED)
    records = demo_file(rng)
    if not records:
        stdout.write("  Référentiels absents (communes, ROME) : aucune offre générée.")
        return
    with transaction.atomic():
        run = sync.sync(
            francetravail.parse(records), source=OfferSource.FRANCE_TRAVAIL, file_name="demo.json"
        )
        own = _own_offers(rng)
        searches = _saved_searches()
        introductions = _introductions(rng)
    stdout.write(
        f"  {run.created} offres France Travail fictives, {own} offres de la Maison de l'Emploi, "
        f"{searches} recherches enregistrées, {introductions} mises en relation."
    )


def demo_file(rng, count=OFFERS, prefix=DEMO_PREFIX, now=None):
    """``count`` offers in the France Travail v2 format (a list of dicts)."""
    now = now or timezone.now()
    communes = list(
        Commune.objects.filter(insee_code__in=BASSIN_COMMUNES, latitude__isnull=False).values_list(
            "insee_code", "name", "latitude", "longitude"
        )
    )
    appellations = list(
        Appellation.objects.filter(fiche__code__in=FICHES, is_rarely_used=False, is_obsolete=False)
        .order_by("code_ogr")
        .values_list("label", "fiche__code", "fiche_id", "fiche__label")
    )
    if not communes or not appellations:
        return []
    skills = {}
    for fiche_id, code, label, core in (
        FicheSkill.objects.filter(fiche_id__in={a[2] for a in appellations}, rubrique=1)
        .order_by("fiche_id", "skill__code_ogr")
        .values_list("fiche_id", "skill__code_ogr", "skill__label", "coeur_metier")
    ):
        skills.setdefault(fiche_id, []).append((code, label, core))
    companies = list(
        Establishment.objects.active()
        .filter(commune__insee_code__in=BASSIN_COMMUNES)
        .values_list("siret", "name", "commune__insee_code")[:40]
    )
    records = []
    for n in range(count):
        label, rome, fiche_id, fiche_label = rng.choice(appellations)
        insee, name, lat, lon = rng.choice(communes)
        company = {"nom": rng.choice(COMPANIES), "entrepriseAdaptee": rng.random() < 0.05}
        if companies and rng.random() < 0.35:
            siret, company_name, insee = rng.choice(companies)
            company = {"nom": company_name, "siret": siret, "entrepriseAdaptee": False}
            match = next((c for c in communes if c[0] == insee), None)
            if match:
                insee, name, lat, lon = match
        own_skills = rng.sample(skills.get(fiche_id, []), min(4, len(skills.get(fiche_id, []))))
        created = now - timedelta(days=rng.randint(0, 45), hours=rng.randint(0, 23))
        contract = rng.choice(CONTRACTS)
        records.append(
            {
                "id": f"{prefix}{n:05d}",
                "intitule": f"{label.split(' / ')[0]} H/F",
                "description": f"{fiche_label}. Poste basé à {name}. Offre fictive.",
                "dateCreation": created.isoformat(),
                "dateActualisation": created.isoformat(),
                "lieuTravail": {
                    "libelle": f"59 - {name.upper()}",
                    "latitude": round(lat + rng.uniform(-0.01, 0.01), 5),
                    "longitude": round(lon + rng.uniform(-0.01, 0.01), 5),
                    "codePostal": "",
                    "commune": insee,
                },
                "romeCode": rome,
                "romeLibelle": fiche_label,
                "appellationlibelle": label,
                "entreprise": company,
                "typeContrat": contract,
                "typeContratLibelle": contract,
                "natureContrat": "Contrat travail",
                "alternance": rng.random() < 0.1,
                "nombrePostes": rng.choice([1, 1, 1, 2, 3]),
                "experienceExige": rng.choice(["D", "D", "S", "E"]),
                "formations": [],
                "langues": [],
                "permis": [{"libelle": "B - Véhicule léger", "exigence": "E"}]
                if rng.random() < 0.25
                else [],
                "competences": [
                    {
                        "code": str(code),
                        "libelle": skill_label,
                        "exigence": "E" if core == "principale" else "S",
                    }
                    for code, skill_label, core in own_skills
                ],
                "qualitesProfessionnelles": [],
                "salaire": {
                    "libelle": rng.choice(["Horaire de 11,88 Euros", "Mensuel de 1900 Euros", ""])
                },
                "dureeTravailLibelle": rng.choice(HOURS),
                "dureeTravailLibelleConverti": rng.choice(WORKING),
                "contact": {},
                "origineOffre": {
                    "origine": "1",
                    "urlOrigine": f"https://candidat.francetravail.fr/offres/recherche/detail/{prefix}{n:05d}",
                },
                "accessibleTH": rng.random() < 0.3,
                "secteurActivite": "",
                "secteurActiviteLibelle": "",
            }
        )
    return records


def _publisher():
    return (
        Membership.objects.filter(
            structure__is_demo=True, is_active=True, role__in=roles_with(Capability.PUBLISH_OFFERS)
        )
        .select_related("user", "structure")
        .order_by("role", "pk")
        .first()
    )


def _own_offers(rng):
    publisher = _publisher()
    if publisher is None:
        return 0
    actor = Actor.of(publisher)
    establishments = list(
        Establishment.objects.active()
        .filter(commune__isnull=False)
        .select_related("commune", "legal_unit")[:10]
    )
    appellations = list(
        Appellation.objects.filter(fiche__code__in=FICHES, is_rarely_used=False).select_related(
            "fiche"
        )[:30]
    )
    count = 0
    for establishment in establishments:
        if not appellations:
            break
        appellation = rng.choice(appellations)
        services.create_offer(
            data={
                "title": f"{appellation.label.split(' / ')[0]} H/F",
                "appellation": appellation,
                "establishment": establishment,
                "commune": establishment.commune,
                "description": "Offre recueillie par la Maison de l'Emploi (démonstration).",
                "contract_type": rng.choice(CONTRACTS),
                "positions": rng.choice([1, 2]),
                "experience": "D",
            },
            actor=actor,
        )
        count += 1
    return count


def _referent_seats():
    return (
        FollowUpMember.objects.filter(
            person__is_demo=True, is_active=True, role__in=CARING_ROLES, structure__is_demo=True
        )
        .select_related("person", "user")
        .order_by("person_id", "pk")
    )


def _saved_searches():
    count = 0
    seen = set()
    for seat in _referent_seats()[:50]:
        if seat.user_id in seen:
            continue
        seen.add(seat.user_id)
        membership = Membership.objects.filter(
            user_id=seat.user_id, structure_id=seat.structure_id, is_active=True
        ).first()
        if membership is None or SavedSearch.objects.filter(user_id=seat.user_id).exists():
            continue
        services.save_search(
            data={
                "label": "Offres à Roubaix (10 km)",
                "alerts": True,
                "params": {"commune": "59512", "radius_km": 10, "query": "commune=59512&rayon=10"},
            },
            actor=Actor.of(membership),
        )
        count += 1
        if count >= 3:
            break
    return count


PATHS = [
    [],
    [IntroductionStatus.SENT],
    [IntroductionStatus.SENT, IntroductionStatus.SEEN],
    [IntroductionStatus.SENT, IntroductionStatus.INTERVIEW],
    [IntroductionStatus.SENT, IntroductionStatus.INTERVIEW, IntroductionStatus.HIRED],
    [IntroductionStatus.SENT, IntroductionStatus.NOT_RETAINED],
    [IntroductionStatus.WITHDRAWN],
    [IntroductionStatus.SENT, IntroductionStatus.EXPIRED],
]


def _introductions(rng):
    offers = list(
        JobOffer.objects.searchable().filter(establishment__isnull=False).order_by("pk")[:40]
    )
    if not offers:
        offers = list(JobOffer.objects.searchable().order_by("pk")[:40])
    seats = list(_referent_seats()[:200])
    if not offers or not seats:
        return 0
    rng.shuffle(seats)
    count, used = 0, set()
    for seat in seats:
        if count >= 2 * len(PATHS) or seat.person_id in used:
            continue
        used.add(seat.person_id)
        membership = Membership.objects.filter(
            user_id=seat.user_id, structure_id=seat.structure_id, is_active=True
        ).first()
        if membership is None:
            continue
        actor = Actor.of(membership)
        offer = offers[count % len(offers)]
        try:
            introduction, _ = services.propose(
                offer,
                seat.person,
                data={"consent": True, "message": "Profil motivé (démonstration)."},
                actor=actor,
            )
        except services.OpportunityError:
            continue
        for status in PATHS[count % len(PATHS)]:
            data = {"status": status}
            if status == IntroductionStatus.INTERVIEW:
                data["interview_on"] = timezone.localdate() + timedelta(days=rng.randint(1, 10))
            if status == IntroductionStatus.NOT_RETAINED:
                data["reason"] = rng.choice(["experience", "filled", "profile"])
            if status == IntroductionStatus.WITHDRAWN:
                data["reason"] = "other_job"
            services.advance(introduction, data=data, actor=actor)
        count += 1
    return Introduction.objects.filter(person__in=Person.objects.filter(is_demo=True)).count()
