"""Demo companies: some sixty fictitious establishments of the Roubaix–Tourcoing bassin, across
its sectors (textile and logistics, retail, care, construction, digital, craft, e-commerce),
with valid SIRETs in a range kept for the demo (SIREN 8880xxxx), real NAF codes of the
referential, headcount bands, communes of the bassin, a few SIAE, EA and GEIQ, one
non-diffusible individual entrepreneur, one closed establishment, contacts who consented, and
the demo business account (entreprises@mde-roubaix.test) as their officer.

Seeded before the other companies seeders (order 40): the journal, the needs, the HR clubs,
the GPEC toolkit and the leader portal build on these records (``demo_establishments()``).
Everything goes through the services, so each record has its timeline. Running it again
changes nothing.
"""

from datetime import date

from django.db import transaction
from stdnum import luhn

from tisserand.companies import services
from tisserand.companies.models import Establishment
from tisserand.core.actor import Actor
from tisserand.core.text import fold
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.rome.models import NafSubclass
from tisserand.structures.models import Membership
from tisserand.structures.roles import Role

DEMO_SIREN_PREFIX = "8880"
OFFICER_EMAIL = "entreprises@mde-roubaix.test"

# (enseigne or name, NAF, headcount band, INSEE code, street, flags, contact, tags)
# flags: "EI", "ACI", "AI", "ETTI", "EA", "ESAT", "GEIQ", "ESS", "HO" (head office), "closed"
# contact: (first name, last name, job title) or None
COMPANIES = [
    # Textile and logistics
    (
        "Filature du Trichon",
        "1310Z",
        "21",
        "59512",
        "12 rue du Trichon",
        "HO",
        ("Nadia", "Haddad", "Directrice des ressources humaines"),
        "Textile, Recrute",
    ),
    (
        "Tissages de l'Épeule",
        "1320Z",
        "12",
        "59512",
        "45 rue de l'Épeule",
        "HO",
        ("Bruno", "Vanhoutte", "Gérant"),
        "Textile",
    ),
    (
        "Ennoblissement Roubaisien",
        "1330Z",
        "11",
        "59650",
        "8 rue Carnot",
        "HO",
        ("Élise", "Declercq", "Responsable de production"),
        "Textile",
    ),
    (
        "Maille et Fil du Nord",
        "1391Z",
        "03",
        "59599",
        "27 rue de Tournai",
        "HO",
        ("Mathieu", "Leroy", "Dirigeant"),
        "Textile, Club RH",
    ),
    (
        "Confections Lys",
        "1413Z",
        "11",
        "59367",
        "3 rue Jean Jaurès",
        "HO",
        ("Fatima", "Benhamou", "Gérante"),
        "Textile",
    ),
    (
        "Linge Pro Services",
        "1392Z",
        "02",
        "59332",
        "16 rue de Lannoy",
        "HO EI",
        ("Samir", "Ouali", "Directeur"),
        "Textile, Insertion",
    ),
    (
        "Transports Delcourt",
        "4941A",
        "12",
        "59599",
        "140 boulevard Industriel",
        "HO",
        ("Olivier", "Delcourt", "Directeur d'exploitation"),
        "Logistique, Recrute",
    ),
    (
        "Entrepôts de l'Union",
        "5210B",
        "21",
        "59599",
        "2 rue de l'Union",
        "HO",
        ("Sandrine", "Masquelier", "Responsable RH"),
        "Logistique, Recrute",
    ),
    (
        "Nord Express Messagerie",
        "5229A",
        "11",
        "59650",
        "22 rue de la Mackellerie",
        "HO",
        ("Karim", "Belkacem", "Chef d'agence"),
        "Logistique",
    ),
    (
        "Colis Roubaix Livraison",
        "5320Z",
        "03",
        "59512",
        "90 rue de Mouvaux",
        "HO",
        ("Julie", "Morel", "Gérante"),
        "Logistique",
    ),
    (
        "Logistique du Trichon",
        "5210B",
        "12",
        "59512",
        "4 avenue des Nations Unies",
        "",
        ("Antoine", "Caron", "Responsable de site"),
        "Logistique",
    ),
    (
        "Quai 59 Manutention",
        "5224B",
        "11",
        "59163",
        "11 rue Jean Jaurès",
        "HO ETTI",
        ("Yasmine", "Cherif", "Chargée d'insertion"),
        "Logistique, Insertion",
    ),
    # Retail
    (
        "Supermarché des Trois Ponts",
        "4711D",
        "21",
        "59512",
        "1 rue Jules Guesde",
        "HO",
        ("Pascal", "Lemaire", "Directeur de magasin"),
        "Commerce, Recrute",
    ),
    (
        "Épicerie du Pile",
        "4711B",
        "01",
        "59512",
        "58 rue de Ma Campagne",
        "HO",
        ("Abdel", "Mansouri", "Gérant"),
        "Commerce",
    ),
    (
        "Boulangerie Lebas",
        "1071C",
        "03",
        "59512",
        "23 avenue Jean Lebas",
        "HO",
        ("Hélène", "Dufour", "Artisane boulangère"),
        "Artisanat, Commerce",
    ),
    (
        "Chaussures du Grand Place",
        "4772A",
        "02",
        "59599",
        "6 place de la République",
        "HO",
        ("Marc", "Devos", "Gérant"),
        "Commerce",
    ),
    (
        "Optique Wattrelosienne",
        "4778A",
        "01",
        "59650",
        "31 rue Carnot",
        "HO",
        ("Sophie", "Lambert", "Opticienne"),
        "Commerce",
    ),
    (
        "Pharmacie de la Vigne",
        "4773Z",
        "03",
        "59163",
        "40 rue de la Vigne",
        "HO",
        ("Catherine", "Roussel", "Pharmacienne titulaire"),
        "Commerce, Santé",
    ),
    (
        "Fleurs de Hem",
        "4776Z",
        "01",
        "59299",
        "9 rue de Beaumont",
        "HO",
        ("Inès", "Guerin", "Fleuriste"),
        "Commerce",
    ),
    (
        "Marché Frais Halluin",
        "4721Z",
        "02",
        "59279",
        "12 rue de Lille",
        "HO",
        ("Thierry", "Bouquet", "Gérant"),
        "Commerce",
    ),
    # Care
    (
        "Aide à Domicile Roubaix Est",
        "8810A",
        "22",
        "59512",
        "71 boulevard de Belfort",
        "HO ESS",
        ("Martine", "Vermeulen", "Directrice"),
        "Services à la personne, Recrute",
    ),
    (
        "Maison de retraite Les Tilleuls",
        "8710A",
        "21",
        "59421",
        "5 avenue du Parc",
        "HO",
        ("Laurent", "Decottignies", "Directeur d'établissement"),
        "Santé, Recrute",
    ),
    (
        "Foyer d'accueil du Blanc Seau",
        "8790B",
        "12",
        "59599",
        "18 rue du Blanc Seau",
        "HO ESS",
        ("Aïcha", "Benali", "Cheffe de service"),
        "Médico-social",
    ),
    (
        "Crèche Les Petits Tisserands",
        "8891A",
        "11",
        "59512",
        "30 rue de Soubise",
        "HO ESS",
        ("Camille", "Wauquier", "Directrice"),
        "Petite enfance",
    ),
    (
        "Soins Infirmiers Lys-Lannoy",
        "8690D",
        "02",
        "59367",
        "2 place de la République",
        "HO",
        ("Nathalie", "Lecomte", "Infirmière coordinatrice"),
        "Santé",
    ),
    (
        "ESAT des Ateliers du Nord",
        "8810C",
        "22",
        "59650",
        "55 rue du Sapin Vert",
        "HO ESAT ESS",
        ("Philippe", "Descamps", "Directeur"),
        "Handicap, Insertion",
    ),
    (
        "Services Solidaires Tourcoing",
        "8899B",
        "12",
        "59599",
        "14 rue de Lille",
        "HO AI ESS",
        ("Rachida", "Kaddouri", "Coordinatrice"),
        "Insertion, Services à la personne",
    ),
    # Construction
    (
        "Bâtiment Vanderhaegen",
        "4120A",
        "12",
        "59599",
        "88 rue de Roubaix",
        "HO",
        ("Jean-Pierre", "Vanderhaegen", "Gérant"),
        "BTP, Recrute",
    ),
    (
        "Électricité Générale Croisienne",
        "4321A",
        "03",
        "59163",
        "7 rue Kléber",
        "HO",
        ("Sébastien", "Dhainaut", "Dirigeant"),
        "BTP",
    ),
    (
        "Plomberie Chauffage Leers",
        "4322A",
        "02",
        "59339",
        "19 rue Pasteur",
        "HO",
        ("Franck", "Lefebvre", "Artisan plombier"),
        "BTP, Artisanat",
    ),
    (
        "Menuiserie des Hauts de Roubaix",
        "4332A",
        "03",
        "59512",
        "112 rue d'Alger",
        "HO",
        ("Grégory", "Plouvier", "Gérant"),
        "BTP, Artisanat",
    ),
    (
        "Peintures et Façades Wasquehal",
        "4334Z",
        "11",
        "59646",
        "25 rue Michelet",
        "HO",
        ("Kevin", "Duhamel", "Conducteur de travaux"),
        "BTP",
    ),
    (
        "Chantier École de l'Alma",
        "4399C",
        "12",
        "59512",
        "3 rue de l'Alma",
        "HO ACI ESS",
        ("Mounir", "Aït-Ali", "Encadrant technique"),
        "BTP, Insertion",
    ),
    (
        "GEIQ BTP Métropole Nord",
        "7830Z",
        "11",
        "59599",
        "60 rue de Tournai",
        "HO GEIQ ESS",
        ("Valérie", "Coppin", "Chargée de recrutement"),
        "BTP, Insertion, Recrute",
    ),
    (
        "Couverture Zinguerie Roncq",
        "4391B",
        "02",
        "59508",
        "4 rue de Lille",
        "HO",
        ("Damien", "Catteau", "Artisan couvreur"),
        "BTP",
    ),
    (
        "Terrassements Halluinois",
        "4312A",
        "11",
        "59279",
        "150 route de Linselles",
        "HO",
        ("Christophe", "Deleplanque", "Gérant"),
        "BTP",
    ),
    # Digital
    (
        "Octet Roubaix",
        "6201Z",
        "12",
        "59512",
        "2 rue de l'Épeule",
        "HO",
        ("Léa", "Nguyen", "Responsable des talents"),
        "Numérique, Recrute",
    ),
    (
        "Plaine Image Studio",
        "6201Z",
        "03",
        "59599",
        "99A boulevard Descat",
        "HO",
        ("Hugo", "Lemoine", "Fondateur"),
        "Numérique",
    ),
    (
        "Conseil Informatique Mouvaux",
        "6202A",
        "02",
        "59421",
        "10 rue de Tourcoing",
        "HO",
        ("Céline", "Bertrand", "Gérante"),
        "Numérique",
    ),
    (
        "Données et Territoires",
        "6311Z",
        "11",
        "59512",
        "42 rue Pierre de Roubaix",
        "HO",
        ("Youssef", "El Amrani", "Directeur technique"),
        "Numérique",
    ),
    (
        "Agence Web Flandres",
        "7311Z",
        "01",
        "59352",
        "6 rue du Général de Gaulle",
        "HO",
        ("Manon", "Verbeke", "Gérante"),
        "Numérique",
    ),
    (
        "Réemploi Numérique Nord",
        "9511Z",
        "11",
        "59650",
        "17 rue de la Paix",
        "HO EI ESS",
        ("Rémi", "Fontaine", "Directeur"),
        "Numérique, Insertion",
    ),
    # Craft
    (
        "Atelier de Couture Sainte-Élisabeth",
        "1419Z",
        "01",
        "59512",
        "8 rue Sainte-Élisabeth",
        "HO",
        ("Zohra", "Amrani", "Couturière"),
        "Artisanat, Textile",
    ),
    (
        "Ébénisterie Lannoyenne",
        "3109B",
        "01",
        "59332",
        "2 Grand Place",
        "HO",
        ("Arnaud", "Vasseur", "Ébéniste"),
        "Artisanat",
    ),
    (
        "Coiffure Gambetta",
        "9602A",
        "02",
        "59512",
        "76 boulevard Gambetta",
        "HO",
        ("Sabrina", "Lopes", "Gérante"),
        "Artisanat",
    ),
    (
        "Serrurerie Métallerie Wattrelos",
        "2511Z",
        "03",
        "59650",
        "3 rue Faidherbe",
        "HO",
        ("Nicolas", "Dewailly", "Gérant"),
        "Artisanat, BTP",
    ),
    (
        "Imprimerie du Nord",
        "1812Z",
        "11",
        "59599",
        "29 rue des Ursulines",
        "HO",
        ("Isabelle", "Carlier", "Directrice"),
        "Artisanat",
    ),
    (
        "Cordonnerie de la Grand-Rue",
        "9523Z",
        "00",
        "59512",
        "150 Grand-Rue",
        "HO",
        ("Ali", "Bensaïd", "Cordonnier"),
        "Artisanat",
    ),
    # E-commerce and services
    (
        "Mode en Ligne Roubaix",
        "4791A",
        "21",
        "59512",
        "1 rue de la Vieille Montagne",
        "HO",
        ("Claire", "Vandamme", "Responsable recrutement"),
        "E-commerce, Recrute",
    ),
    (
        "Boutique Déco Tourcoing",
        "4791B",
        "02",
        "59599",
        "15 rue Nationale",
        "HO",
        ("Romain", "Pollet", "Fondateur"),
        "E-commerce",
    ),
    (
        "Préparation Colis Wasquehal",
        "8292Z",
        "12",
        "59646",
        "33 avenue de Flandre",
        "HO EA",
        ("Stéphanie", "Deroo", "Directrice"),
        "E-commerce, Handicap",
    ),
    (
        "Retours et Reconditionnement",
        "4779Z",
        "11",
        "59299",
        "21 rue du Calvaire",
        "HO EI",
        ("Farid", "Bouzid", "Chargé d'insertion"),
        "E-commerce, Insertion",
    ),
    (
        "Propreté Services Métropole",
        "8121Z",
        "22",
        "59599",
        "70 rue de Menin",
        "HO",
        ("Patricia", "Dumont", "Responsable d'agence"),
        "Propreté, Recrute",
    ),
    (
        "Nettoyage Solidaire Hem",
        "8122Z",
        "11",
        "59299",
        "6 rue Jules Ferry",
        "HO ACI ESS",
        ("Djamel", "Saïdi", "Encadrant technique"),
        "Propreté, Insertion",
    ),
    (
        "Espaces Verts Val de Marque",
        "8130Z",
        "03",
        "59247",
        "12 rue de Lannoy",
        "HO",
        ("Benoît", "Lesage", "Gérant"),
        "Espaces verts",
    ),
    (
        "Restaurant Le Tisserand",
        "5610A",
        "03",
        "59512",
        "9 place de la Liberté",
        "HO",
        ("Kader", "Meziane", "Restaurateur"),
        "Restauration, Recrute",
    ),
    (
        "Cuisine Centrale Solidaire",
        "5629A",
        "12",
        "59650",
        "44 rue Pierre Brossolette",
        "HO EI ESS",
        ("Audrey", "Mahieu", "Cheffe de cuisine"),
        "Restauration, Insertion",
    ),
    (
        "Sécurité Privée Nord",
        "8010Z",
        "12",
        "59512",
        "5 rue de Lille",
        "HO",
        ("Frédéric", "Hennebelle", "Directeur"),
        "Sécurité, Recrute",
    ),
    (
        "Auto-école Neuville",
        "8553Z",
        "01",
        "59426",
        "8 rue de Tourcoing",
        "HO",
        ("Virginie", "Lagache", "Gérante"),
        "Formation",
    ),
    (
        "Garage de la Chaussée",
        "4520A",
        "02",
        "59098",
        "20 rue de Wervicq",
        "HO",
        ("Laurent", "Wattiez", "Gérant"),
        "Automobile",
    ),
]
# A second establishment of an entry's SIREN (same legal unit): its index in COMPANIES.
BRANCHES = {
    "Logistique du Trichon": "Filature du Trichon",
}
# One closed establishment, kept with its history.
CLOSED = "Teinturerie de la Potennerie"
# One non-diffusible individual entrepreneur: neither the name nor the address is shown.
INDIVIDUAL = ("Jean-Marc Lefort", "4322A", "00", "59512", "7 rue de Cassel")


def demo_siren(serial):
    body = f"{DEMO_SIREN_PREFIX}{serial:04d}"
    return body + luhn.calc_check_digit(body)


def demo_siret(siren, nic=1):
    body = f"{siren}{nic:04d}"
    return body + luhn.calc_check_digit(body)


def demo_establishments():
    """The demo companies (what the other companies seeders build on), by name."""
    return Establishment.objects.filter(legal_unit__siren__startswith=DEMO_SIREN_PREFIX).order_by(
        "search_name", "siret"
    )


def _postal_code(commune):
    return commune.postal_codes.order_by("code").values_list("code", flat=True).first() or ""


def seed(stdout):
    if demo_establishments().exists():
        stdout.write("  Entreprises de démonstration déjà présentes.")
        return
    membership = (
        Membership.objects.filter(user__email=OFFICER_EMAIL, role=Role.BUSINESS, is_active=True)
        .select_related("user", "structure")
        .first()
    )
    if membership is None:
        stdout.write(f"  Compte {OFFICER_EMAIL} absent : entreprises de démonstration non créées.")
        return
    codes = {row[3] for row in COMPANIES} | {INDIVIDUAL[3]}
    communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}
    nafs = {n.code: n for n in NafSubclass.objects.filter(code__in={row[1] for row in COMPANIES})}
    nafs.update({n.code: n for n in NafSubclass.objects.filter(code__in=[INDIVIDUAL[1], "1330Z"])})
    if not communes or not nafs:
        stdout.write("  Communes ou NAF absents : chargez d'abord les données de référence.")
        return
    with transaction.atomic():
        count = Seeder(Actor.of(membership), communes, nafs).seed_all()
    stdout.write(f"  {count} établissements fictifs du bassin de Roubaix-Tourcoing créés.")


class Seeder:
    def __init__(self, actor, communes, nafs):
        self.actor, self.communes, self.nafs = actor, communes, nafs
        self.sirens = {}

    def seed_all(self):
        count = 0
        for serial, row in enumerate(COMPANIES, start=1):
            if self._company(serial, *row) is not None:
                count += 1
        if self._closed(len(COMPANIES) + 1) is not None:
            count += 1
        if self._individual(len(COMPANIES) + 2) is not None:
            count += 1
        return count

    def _data(self, siret, name, naf, band, insee, street, flags, legal_name=None):
        commune = self.communes.get(insee)
        words = set(flags.split())
        return {
            "siret": siret,
            "legal_name": legal_name or name,
            "is_individual": False,
            "name": "" if legal_name is None else name,
            "naf": self.nafs.get(naf),
            "headcount_band": band,
            "is_head_office": "HO" in words,
            "created_on": date(1990 + (int(siret[5:8]) % 33), 1 + int(siret[8]) % 12, 1),
            "diffusion": "O",
            "address_line": street,
            "postal_code": _postal_code(commune) if commune else "",
            "commune": commune,
            "insertion_kind": next(
                (w for w in ("EI", "ACI", "AI", "ETTI", "EITI") if w in words), ""
            ),
            "adapted_kind": next((w for w in ("EA", "ESAT") if w in words), ""),
            "is_geiq": "GEIQ" in words,
            "is_social_economy": "ESS" in words,
            "officer": self.actor.user,
        }

    def _company(self, serial, name, naf, band, insee, street, flags, contact, tags):
        parent = BRANCHES.get(name)
        if parent is not None:
            siren, legal_name = self.sirens[parent], parent
            siret = demo_siret(siren, 2)
        else:
            siren, legal_name = demo_siren(serial), None
            siret = demo_siret(siren)
            self.sirens[name] = siren
        data = self._data(siret, name, naf, band, insee, street, flags, legal_name)
        if data["commune"] is None:
            return None
        company = services.create_establishment(data=data, actor=self.actor, confirmed=True)
        if contact is not None:
            first_name, last_name, job_title = contact
            slug = "-".join(fold(last_name).split())
            services.add_contact(
                company,
                data={
                    "first_name": first_name,
                    "last_name": last_name,
                    "job_title": job_title,
                    "email": f"{fold(first_name)[0]}.{slug}@entreprise-{serial:02d}.test",
                    "phone": f"+3332{serial:07d}"[:12],
                    "consents_to_contact": True,
                    "consent_given_on": date(2026, 1 + serial % 10, 1 + serial % 27),
                },
                actor=self.actor,
            )
        services.set_tags(company, data={"tags": tags.split(",")}, actor=self.actor)
        return company

    def _closed(self, serial):
        data = self._data(
            demo_siret(demo_siren(serial)),
            CLOSED,
            "1330Z",
            "11",
            "59512",
            "14 rue de la Potennerie",
            "HO",
        )
        company = services.create_establishment(data=data, actor=self.actor, confirmed=True)
        services.close_establishment(
            company,
            closed_on=date(2024, 6, 30),
            actor=self.actor.user,
            structure=self.actor.structure,
        )
        return company

    def _individual(self, serial):
        name, naf, band, insee, street = INDIVIDUAL
        data = self._data(demo_siret(demo_siren(serial)), name, naf, band, insee, street, "HO")
        data.update({"is_individual": True, "diffusion": "N", "officer": None})
        return services.create_establishment(data=data, actor=self.actor, confirmed=True)
