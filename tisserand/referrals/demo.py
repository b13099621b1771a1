"""Demo directory: about 80 fictitious services of the Roubaix–Tourcoing bassin across the
thematics (structures of the demo network and associations outside it), and referrals of demo
persons at every state (waiting, accepted, refused, expired), made through the services."""

import random
from datetime import timedelta

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tisserand.core.actor import Actor
from tisserand.people.models import FollowUpMember, FollowUpRole
from tisserand.referentials.geo.models import Commune
from tisserand.referrals import services, thematics
from tisserand.referrals.models import (
    DirectoryStructure,
    Referral,
    ReferralState,
    RefusalReason,
    Service,
    ServiceThematic,
    ServiceZone,
    Thematic,
    ZoneKind,
)
from tisserand.structures.demo import demo_siret
from tisserand.structures.models import Membership, Structure
from tisserand.structures.roles import Capability, roles_with

SEED = 1512
MEL = "200093201"
BASSIN = "3217"

OUTSIDE = [
    # (name, commune INSEE)
    ("Association Les Petits Pas (démo)", "59512"),
    ("Crèche associative Arc-en-ciel (démo)", "59512"),
    ("Relais Petite Enfance de Lys (démo)", "59367"),
    ("Garage solidaire du Pile (démo)", "59512"),
    ("Auto-école sociale En Route (démo)", "59599"),
    ("Centre social Fraternité (démo)", "59512"),
    ("Espace numérique du Trichon (démo)", "59512"),
    ("Atelier de français Lire et Dire (démo)", "59599"),
    ("Point conseil budget de Wattrelos (démo)", "59650"),
    ("Maison de santé des Trois-Ponts (démo)", "59512"),
    ("Agence solidaire du logement Toit d'abord (démo)", "59599"),
    ("Épicerie sociale La Navette (démo)", "59367"),
    ("Vélo-école de Croix (démo)", "59163"),
    ("Point d'accès au droit de Hem (démo)", "59299"),
    ("Association Tremplin Santé (démo)", "59599"),
]

# (thematic, name, description, publics, on site, remote, fees)
CATALOGUE = [
    (
        "famille--garde-denfants",
        "Places de crèche à vocation d'insertion",
        "Accueil d'enfants de 10 semaines à 3 ans pour les parents en recherche d'emploi ou en "
        "formation, avec des horaires adaptés aux entretiens et aux premiers mois d'emploi.",
        ["familles", "demandeurs-emploi"],
        True,
        False,
        "gratuit-sous-conditions",
    ),
    (
        "famille--garde-denfants",
        "Garde d'enfants en horaires décalés",
        "Solution de garde tôt le matin, tard le soir et le week-end pour les parents qui "
        "reprennent un emploi en horaires atypiques (logistique, propreté, soins).",
        ["familles"],
        True,
        False,
        "payant",
    ),
    (
        "famille--garde-denfants",
        "Halte-garderie pour les rendez-vous emploi",
        "Accueil ponctuel des enfants pendant un entretien d'embauche, une formation courte ou "
        "un rendez-vous administratif ; réservation la veille.",
        ["familles"],
        True,
        False,
        "gratuit",
    ),
    (
        "famille--soutien-a-la-parentalite",
        "Café des parents",
        "Rencontres entre parents et professionnels de la petite enfance chaque semaine pour "
        "parler éducation, rythme de l'enfant et conciliation avec l'emploi.",
        ["familles"],
        True,
        False,
        "gratuit",
    ),
    (
        "mobilite--preparer-son-permis-de-conduire-se-reentrainer-a-la-conduite",
        "Permis de conduire accompagné",
        "Préparation au code et à la conduite avec une pédagogie adaptée, pour les personnes en "
        "parcours d'insertion dont l'emploi visé exige le permis B.",
        ["demandeurs-emploi", "beneficiaires-des-minimas-sociaux"],
        True,
        False,
        "gratuit-sous-conditions",
    ),
    (
        "mobilite--louer-un-vehicule",
        "Location solidaire de scooters et voitures",
        "Location à petit prix d'un scooter ou d'une voiture pour se rendre au travail ou en "
        "formation pendant les premiers mois, le temps de trouver une solution durable.",
        ["demandeurs-emploi", "actifs"],
        True,
        False,
        "payant",
    ),
    (
        "mobilite--entretenir-reparer-son-vehicule",
        "Garage solidaire",
        "Réparations et entretien au prix des pièces pour les personnes aux revenus modestes, "
        "avec des ateliers pour apprendre l'entretien courant.",
        ["beneficiaires-des-minimas-sociaux"],
        True,
        False,
        "payant",
    ),
    (
        "mobilite--apprendre-a-utiliser-un-deux-roues",
        "Vélo-école",
        "Apprendre à circuler à vélo en ville en toute sécurité, puis prêt d'un vélo pendant "
        "trois mois pour les trajets domicile-travail.",
        [],
        True,
        False,
        "gratuit",
    ),
    (
        "apprendre-francais--communiquer-vie-tous-les-jours",
        "Ateliers sociolinguistiques",
        "Ateliers de français à l'oral et à l'écrit pour les démarches de la vie quotidienne : "
        "rendez-vous médicaux, école, administration, transports.",
        ["personnes-exilees"],
        True,
        False,
        "gratuit",
    ),
    (
        "apprendre-francais--accompagnement-insertion-pro",
        "Français à visée professionnelle",
        "Cours de français orientés vers l'emploi : vocabulaire des métiers, entretien "
        "d'embauche, consignes de sécurité, écrits professionnels simples.",
        ["personnes-exilees", "demandeurs-emploi"],
        True,
        True,
        "gratuit",
    ),
    (
        "numerique--prendre-en-main-un-ordinateur",
        "Premiers pas sur l'ordinateur",
        "Ateliers en petits groupes pour apprendre à utiliser un ordinateur, une messagerie et "
        "les sites utiles à la recherche d'emploi.",
        [],
        True,
        False,
        "gratuit",
    ),
    (
        "numerique--realiser-des-demarches-administratives-avec-un-accompagnement",
        "Accompagnement aux démarches en ligne",
        "Un conseiller numérique aide à réaliser les démarches en ligne (CAF, France Travail, "
        "impôts, santé) et à créer ses comptes en toute sécurité.",
        [],
        True,
        True,
        "gratuit",
    ),
    (
        "gestion-financiere--apprendre-a-gerer-son-budget",
        "Point conseil budget",
        "Conseils gratuits et confidentiels pour faire le point sur son budget, prévenir les "
        "impayés et être accompagné face au surendettement.",
        [],
        True,
        True,
        "gratuit",
    ),
    (
        "gestion-financiere--obtenir-une-aide-alimentaire",
        "Épicerie solidaire",
        "Produits alimentaires et d'hygiène à petits prix, sur orientation d'un travailleur "
        "social, avec des ateliers cuisine et budget.",
        ["beneficiaires-des-minimas-sociaux", "familles"],
        True,
        False,
        "gratuit-sous-conditions",
    ),
    (
        "logement-hebergement--etre-accompagne-pour-se-loger",
        "Accompagnement vers le logement",
        "Aide à la constitution du dossier de demande de logement social, recherche d'un "
        "logement adapté et accompagnement à l'entrée dans les lieux.",
        [],
        True,
        False,
        "gratuit",
    ),
    (
        "logement-hebergement--mal-loges-sans-logis",
        "Accueil de jour et orientation hébergement",
        "Accueil inconditionnel en journée, domiciliation et orientation vers les solutions "
        "d'hébergement d'urgence et d'insertion du territoire.",
        ["personnes-en-situation-durgence"],
        True,
        False,
        "gratuit",
    ),
    (
        "sante--acces-aux-soins",
        "Permanence d'accès aux soins",
        "Consultations sans rendez-vous et aide à l'ouverture des droits à l'assurance maladie "
        "et à la complémentaire santé solidaire.",
        [],
        True,
        False,
        "gratuit",
    ),
    (
        "sante--bien-etre-psychologique",
        "Écoute et soutien psychologique",
        "Entretiens individuels avec un psychologue pour les personnes en parcours d'insertion "
        "qui traversent une période difficile.",
        ["demandeurs-emploi"],
        True,
        True,
        "gratuit",
    ),
    (
        "handicap--favoriser-le-retour-et-le-maintien-dans-lemploi",
        "Appui emploi et handicap",
        "Accompagnement des personnes reconnues travailleurs handicapés vers un emploi adapté, "
        "aménagement de poste et lien avec les employeurs.",
        ["personnes-en-situation-de-handicap"],
        True,
        False,
        "gratuit",
    ),
    (
        "se-former--trouver-sa-formation",
        "Conseil en formation",
        "Entretien pour choisir une formation qualifiante, connaître les financements (CPF, "
        "Région) et préparer son dossier d'entrée.",
        [],
        True,
        True,
        "gratuit",
    ),
    (
        "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
        "Atelier CV",
        "Atelier collectif pour rédiger ou actualiser son CV et sa lettre de motivation, avec "
        "une relecture individuelle.",
        ["demandeurs-emploi", "jeunes"],
        True,
        False,
        "gratuit",
    ),
    (
        "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
        "Simulations d'entretien",
        "Entraînement à l'entretien d'embauche avec des bénévoles issus des entreprises du "
        "territoire, suivi d'un retour personnalisé.",
        ["demandeurs-emploi"],
        True,
        True,
        "gratuit",
    ),
    (
        "remobilisation--restaurer-sa-confiance-son-image-de-soi",
        "Atelier confiance en soi",
        "Cycle de six séances pour reprendre confiance : image de soi, prise de parole, gestion "
        "du stress, avant de reprendre une démarche d'emploi.",
        [],
        True,
        False,
        "gratuit",
    ),
    (
        "acces-aux-droits-et-citoyennete--accompagnement-juridique",
        "Permanence d'accès au droit",
        "Information juridique gratuite par des juristes : droit du travail, logement, famille, "
        "dettes, étrangers.",
        [],
        True,
        True,
        "gratuit",
    ),
    (
        "creation-activite--definir-son-projet-de-creation-dentreprise",
        "Couveuse d'activités",
        "Tester son projet de création d'entreprise en grandeur réelle, avec un accompagnement "
        "et un hébergement juridique pendant 6 à 18 mois.",
        ["demandeurs-emploi"],
        True,
        False,
        "gratuit",
    ),
]


def seed(stdout):
    """The directory once, then the referrals once there are demo persons to refer."""
    thematics.ensure_loaded()
    communes = {c.insee_code: c for c in Commune.objects.filter(bassin__code=BASSIN)}
    if not communes:
        stdout.write("  Communes du bassin absentes : annuaire de démonstration non créé.")
        return
    # The demo's e-mails (to fictitious addresses) are never sent, whatever the backend.
    with (
        transaction.atomic(),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        created = 0
        if not Service.objects.filter(is_demo=True).exists():
            created = _directory(random.Random(SEED), communes)
        referrals = 0
        if not Referral.objects.filter(is_demo=True).exists():
            referrals = _referrals(random.Random(SEED))
    if not created and not referrals:
        stdout.write("  Annuaire et orientations de démonstration déjà présents.")
        return
    stdout.write(f"  {created} services et {referrals} orientations fictifs créés.")


def _directory(rng, communes):
    today = timezone.localdate()
    network = [
        s
        for s in Structure.objects.filter(is_demo=True, is_active=True).order_by("pk")
        if s.kind != "funder"
    ]
    entries = [services.directory_entry_of(structure) for structure in network]
    for serial, (name, insee) in enumerate(OUTSIDE, start=1):
        commune = communes.get(insee) or next(iter(communes.values()))
        slug = name.split(" (")[0].lower().replace(" ", "-").replace("'", "")
        entries.append(
            DirectoryStructure.objects.create(
                source="demo",
                source_id=f"structure-{serial}",
                name=name,
                siret=demo_siret(500 + serial),
                description=f"{name} : structure partenaire fictive du bassin Roubaix-Tourcoing.",
                address_line=f"{rng.randint(1, 120)} rue de la Démo",
                postal_code="",
                commune=commune,
                latitude=commune.latitude,
                longitude=commune.longitude,
                email=f"contact@{slug[:30]}.exemple.invalid",
                is_demo=True,
            )
        )
    by_code = {t.code: t for t in Thematic.objects.all()}
    insee_codes = list(communes)
    count = 0
    for round_number in range(4):
        for index, (code, name, description, publics, on_site, remote, fees) in enumerate(
            CATALOGUE
        ):
            if round_number == 3 and index % 3:
                continue
            entry = entries[(index + round_number * 7) % len(entries)]
            commune = entry.commune or communes[rng.choice(insee_codes)]
            if round_number:
                commune = communes[rng.choice(insee_codes)]
            jitter = (rng.uniform(-0.01, 0.01), rng.uniform(-0.01, 0.01))
            # A few services are stale (flagged), two are hidden (older than 240 days).
            age = rng.choice([3, 20, 45, 90, 120]) if count % 17 else 200
            if count in (33, 66):
                age = 260
            service = Service.objects.create(
                structure=entry,
                source="demo",
                source_id=f"service-{round_number}-{index}",
                name=f"{name} — {commune.name}" if round_number else name,
                description=description,
                fees=fees,
                publics=publics,
                publics_key=services.publics_key(publics),
                address_line=f"{rng.randint(1, 200)} rue du Centre",
                commune=commune,
                latitude=(commune.latitude or 50.69) + jitter[0],
                longitude=(commune.longitude or 3.18) + jitter[1],
                on_site=on_site,
                remote=remote,
                mobilisation_modes=["envoyer-un-courriel", "telephoner"],
                by_professionals=True,
                by_residents=index % 2 == 0,
                email=entry.email,
                weekly_hours=rng.choice([None, 2, 3, 6]),
                opening_hours="Mo-Fr 09:00-12:00,14:00-17:00",
                updated_on=today - timedelta(days=age),
                is_demo=True,
            )
            thematic = by_code[code]
            service.search_text = services.search_text(service, [thematic], entry.name)
            service.save(update_fields=["search_text"])
            ServiceThematic.objects.create(service=service, thematic=thematic)
            zone = (
                [(ZoneKind.EPCI, MEL, "Métropole Européenne de Lille")]
                if index % 3
                else [(ZoneKind.COMMUNE, commune.insee_code, commune.name)]
            )
            ServiceZone.objects.bulk_create(
                ServiceZone(service=service, kind=k, code=c, label=label) for k, c, label in zone
            )
            count += 1
    return count


def _referrals(rng):
    seats = list(
        FollowUpMember.objects.filter(
            person__is_demo=True, role=FollowUpRole.REFERENT, is_active=True
        )
        .select_related("person__commune", "user")
        .order_by("person_id")[:24]
    )
    if not seats:
        return 0
    candidates = list(Service.objects.visible().filter(is_demo=True).select_related("structure"))
    answerers = {
        m.structure_id: m
        for m in Membership.objects.active()
        .filter(role__in=roles_with(Capability.ANSWER_REFERRALS), structure__is_demo=True)
        .select_related("user", "structure")
        .order_by("pk")
    }
    senders = {
        (m.user_id, m.structure_id): m
        for m in Membership.objects.active().filter(role__in=roles_with(Capability.REFER_PERSONS))
    }
    states = [
        ReferralState.SENT,
        ReferralState.ACCEPTED,
        ReferralState.REFUSED,
        ReferralState.EXPIRED,
    ]
    made = 0
    now = timezone.now()
    for position, seat in enumerate(seats):
        sender = senders.get((seat.user_id, seat.structure_id))
        if sender is None:
            continue
        service = candidates[(position * 5) % len(candidates)]
        try:
            referral, _ = services.send_referral(
                person=seat.person,
                service=service,
                data={
                    "message": "Bonjour, je vous oriente cette personne que j'accompagne : "
                    "pouvez-vous la recevoir pour un premier rendez-vous ?",
                    "scopes": ["identity", "situation"],
                    "consent": True,
                },
                actor=Actor.of(sender),
            )
        except services.ReferralError:
            continue
        made += 1
        Referral.objects.filter(pk=referral.pk).update(is_demo=True)
        state = states[position % len(states)]
        days_ago = {ReferralState.SENT: 2, ReferralState.EXPIRED: 16}.get(state, rng.randint(5, 12))
        sent_at = now - timedelta(days=days_ago)
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
        referral.steps.update(at=sent_at)
        referral.refresh_from_db()
        if state == ReferralState.EXPIRED:
            services.process_due(now)
            continue
        if state == ReferralState.SENT:
            continue
        answerer = answerers.get(referral.receiving_structure_id)
        data = {
            "decision": services.ACCEPT if state == ReferralState.ACCEPTED else services.REFUSE,
            "reason": "" if state == ReferralState.ACCEPTED else RefusalReason.FULL,
            "message": "Premier rendez-vous proposé la semaine prochaine."
            if state == ReferralState.ACCEPTED
            else "Nous n'avons plus de place ce trimestre.",
        }
        if answerer is not None:
            services.answer(referral, data=data, actor=Actor.of(answerer))
        elif referral.receiving_structure_id is None:
            services.answer(referral, data=data, by_name="Camille Durand, coordinatrice")
    return made
