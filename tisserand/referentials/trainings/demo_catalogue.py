"""A realistic demo catalogue: a few hundred LHÉO 2.3 sessions around Roubaix, generated.

Real things: the occupations (ROME 4.0 codes in demand on the territory), the communes (their
INSEE codes, postal codes and centroids come from the referential loaded), the kinds of bodies
that deliver such trainings (GRETA, CFA, AFPA-like adult training centres, lycées, private
bodies…). Fictitious things, and labelled so: every body, name, SIRET, address and date.
The file is written as LHÉO XML and goes through the real importer, like any producer's file.
The same referential data always gives the same file (a fixed random seed).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

from stdnum import luhn

from tisserand.referentials.geo.models import Commune
from tisserand.referentials.trainings import referentials

FILENAME = "demo-catalogue-roubaix-v1.lheo-2.3.xml"
SEED = 59512
FIRST_START = date(2027, 1, 4)

# Communes of the Roubaix–Tourcoing bassin and around, where the sessions take place.
COMMUNES = [
    "59512",  # Roubaix
    "59599",  # Tourcoing
    "59367",  # Lys-lez-Lannoy
    "59650",  # Wattrelos
    "59163",  # Croix
    "59299",  # Hem
    "59646",  # Wasquehal
    "59339",  # Leers
    "59332",  # Lannoy
    "59421",  # Mouvaux
    "59009",  # Villeneuve-d'Ascq
    "59350",  # Lille
]


@dataclass(frozen=True)
class Offer:
    """A kind of training in demand: its title, codes, levels and length."""

    title: str
    rome: tuple
    formacode: str
    nsf: str
    exit_level: str  # LHÉO dict-niveaux code (13: niveau 3, 14: niveau 4…)
    hours: int
    certifying: bool = True


OFFERS = [
    Offer(
        "Titre professionnel Agent de propreté et d'hygiène", ("K2204",), "42811", "343", "13", 420
    ),
    Offer(
        "Titre professionnel Préparateur de commandes en entrepôt",
        ("N1103",),
        "31815",
        "311",
        "13",
        350,
    ),
    Offer(
        "CACES R489 chariots élévateurs (catégories 1, 3 et 5)",
        ("N1101", "N1103"),
        "31812",
        "311",
        "0",
        35,
        False,
    ),
    Offer(
        "Titre professionnel Conducteur du transport routier de marchandises sur porteur",
        ("N4101",),
        "31854",
        "311",
        "13",
        490,
    ),
    Offer(
        "Titre professionnel Assistant de vie aux familles",
        ("K1302", "K1303"),
        "42056",
        "330",
        "13",
        560,
    ),
    Offer("Diplôme d'État d'aide-soignant", ("J1501",), "43436", "331", "14", 1540),
    Offer(
        "CAP Accompagnant éducatif petite enfance", ("K1303", "D1202"), "44050", "332", "13", 700
    ),
    Offer("Titre professionnel Cuisinier", ("G1602",), "42752", "221", "13", 805),
    Offer("Titre professionnel Serveur en restauration", ("G1803",), "42784", "334", "13", 630),
    Offer(
        "Titre professionnel Employé commercial en magasin",
        ("D1507", "D1106"),
        "34566",
        "312",
        "13",
        560,
    ),
    Offer(
        "Titre professionnel Vendeur conseil en magasin",
        ("D1214", "D1211"),
        "34554",
        "312",
        "14",
        630,
    ),
    Offer("Titre professionnel Secrétaire assistant", ("M1607",), "35054", "324", "14", 770),
    Offer("Titre professionnel Maçon", ("F1703",), "22454", "232", "13", 875),
    Offer(
        "Titre professionnel Électricien d'équipement du bâtiment",
        ("F1602",),
        "24054",
        "255",
        "13",
        840,
    ),
    Offer(
        "Titre professionnel Soudeur assembleur industriel", ("H2913",), "23054", "254", "13", 735
    ),
    Offer(
        "Titre professionnel Agent de maintenance des bâtiments",
        ("I1203",),
        "22252",
        "233",
        "13",
        700,
    ),
    Offer(
        "Titre professionnel Technicien de maintenance industrielle",
        ("I1304", "I1310"),
        "31654",
        "250",
        "14",
        1050,
    ),
    Offer(
        "Titre professionnel Développeur web et web mobile", ("M1805",), "31054", "326", "15", 1190
    ),
    Offer(
        "Savoirs de base et remise à niveau vers l'emploi",
        ("K2111",),
        "15041",
        "415",
        "0",
        210,
        False,
    ),
    Offer(
        "Français langue étrangère à visée professionnelle",
        ("K2111",),
        "15235",
        "136",
        "0",
        280,
        False,
    ),
]

# The kinds of bodies that deliver such trainings on a territory like Roubaix's.
BODY_KINDS = [
    "GRETA",
    "Centre de formation d'apprentis",
    "Centre de formation professionnelle pour adultes",
    "Lycée professionnel",
    "Institut de formation d'aides-soignants",
    "École de la deuxième chance",
    "Organisme privé de formation",
    "Association d'insertion et de formation",
    "Chambre de métiers et de l'artisanat — centre de formation",
]
STREETS = [
    "rue de la Fosse-aux-Chênes",
    "boulevard de Paris",
    "rue du Grand-Chemin",
    "avenue Jean-Lebas",
    "rue de l'Industrie",
    "quai de Brabant",
    "rue Pierre-de-Roubaix",
    "place de la Liberté",
    "rue des Arts",
    "avenue de la Marne",
]
SESSIONS_PER_ACTION = (2, 4)


def _siret(number):
    """A SIRET that passes the check digit, in a range no real company uses (9xxxxxxxx)."""
    siren = f"9{number:07d}"
    siren += luhn.calc_check_digit(siren)
    establishment = f"{siren}0000"
    return establishment + luhn.calc_check_digit(establishment)


def _communes():
    """The communes of ``COMMUNES`` the referential places and gives a postal code (LHÉO
    requires one)."""
    communes = (
        Commune.objects.filter(insee_code__in=COMMUNES, latitude__isnull=False)
        .prefetch_related("postal_codes")
        .order_by("insee_code")
    )
    return [commune for commune in communes if commune.postal_codes.all()]


def _address(commune, street, number, name="", point=None):
    postal = min(p.code for p in commune.postal_codes.all())
    lat, lon = point or (commune.latitude, commune.longitude)
    return (
        "<adresse>"
        + (f"<denomination>{escape(name)}</denomination>" if name else "")
        + f"<ligne>{number} {escape(street)}</ligne>"
        + f"<codepostal>{postal}</codepostal>"
        + f"<ville>{escape(commune.name)}</ville>"
        + f"<code-INSEE-commune>{commune.insee_code}</code-INSEE-commune>"
        + f"<geolocalisation><latitude>{lat:.5f}</latitude><longitude>{lon:.5f}</longitude>"
        + "</geolocalisation></adresse>"
    )


class _Generator:
    def __init__(self, communes, rome_codes):
        self.random = random.Random(SEED)
        self.communes = communes
        self.offers = [o for o in OFFERS if rome_codes is None or set(o.rome) <= rome_codes]
        self.session_count = 0

    def near(self, commune):
        """A point a few hundred metres from the commune's centroid."""
        return (
            commune.latitude + self.random.uniform(-0.006, 0.006),
            commune.longitude + self.random.uniform(-0.009, 0.009),
        )

    def body(self, number):
        kind = BODY_KINDS[number % len(BODY_KINDS)]
        commune = self.communes[number % len(self.communes)]
        # The same body in every training it delivers: its address depends on its number only.
        street, street_number = STREETS[number % len(STREETS)], 1 + (number * 37) % 180
        name = f"{kind} {commune.name} n° {number} (organisme fictif de démonstration)"
        address = _address(commune, street, street_number)
        coordinates = (
            f"<coordonnees>{address}<telfixe><numtel>03 20 99 {number // 100:02d} "
            f"{number % 100:02d}</numtel></telfixe>"
            f"<courriel>contact-{number}@formation-demo.exemple</courriel></coordonnees>"
        )
        return (
            f'<organisme-formation-responsable numero="DEMO-G-OF-{number}">'
            f"<numero-activite>3259{number:07d}</numero-activite>"
            f"<SIRET-organisme-formation><SIRET>{_siret(number)}</SIRET>"
            "</SIRET-organisme-formation>"
            f"<nom-organisme>{escape(name)}</nom-organisme>"
            f"<raison-sociale>{escape(kind)} — démonstration</raison-sociale>"
            f"<coordonnees-organisme>{coordinates}</coordonnees-organisme>"
            f"<contact-organisme>{coordinates}</contact-organisme>"
            "</organisme-formation-responsable>"
        )

    def session(self, commune, site, street, number, start, weeks):
        self.session_count += 1
        end = start + timedelta(weeks=weeks, days=-3)
        return (
            f'<session numero="DEMO-G-S-{self.session_count}">'
            f"<periode><debut>{start:%Y%m%d}</debut><fin>{end:%Y%m%d}</fin></periode>"
            f"<adresse-inscription>{_address(commune, street, number, site)}</adresse-inscription>"
            f"<etat-recrutement>{1 if self.random.random() < 0.85 else 2}</etat-recrutement>"
            "</session>"
        )

    def action(self, training, rank, offer):
        commune = self.random.choice(self.communes)
        site = f"Site de {commune.name}"
        street, number = self.random.choice(STREETS), self.random.randint(1, 180)
        point = self.near(commune)
        weeks = max(1, round(offer.hours / 35))
        start = FIRST_START + timedelta(weeks=self.random.randint(0, 40))
        sessions = "".join(
            self.session(
                commune, site, street, number, start + timedelta(weeks=k * (weeks + 2)), weeks
            )
            for k in range(self.random.randint(*SESSIONS_PER_ACTION))
        )
        rhythm = "Temps plein, 35 heures par semaine" if rank == 1 else "Temps partiel"
        return (
            f'<action numero="DEMO-G-A-{training}-{rank}">'
            f"<rythme-formation>{rhythm}</rythme-formation>"
            '<code-public-vise ref="V12">83056</code-public-vise>'
            "<niveau-entree-obligatoire>0</niveau-entree-obligatoire>"
            "<modalites-alternance>Stage pratique en entreprise.</modalites-alternance>"
            f"<modalites-enseignement>{0 if self.random.random() < 0.8 else 1}"
            "</modalites-enseignement>"
            "<conditions-specifiques>Offre fictive de démonstration.</conditions-specifiques>"
            "<prise-en-charge-frais-possible>1</prise-en-charge-frais-possible>"
            f"<lieu-de-formation><coordonnees><ligne>{escape(site)}</ligne>"
            f"{_address(commune, street, number, point=point)}</coordonnees></lieu-de-formation>"
            "<modalites-entrees-sorties>0</modalites-entrees-sorties>"
            f"{sessions}"
            "<acces-handicapes>Locaux accessibles ; référent handicap à l'accueil."
            "</acces-handicapes>"
            f"<duree-indicative>{weeks} semaines</duree-indicative>"
            f"<nombre-heures-total>{offer.hours}</nombre-heures-total>"
            "</action>"
        )

    def training(self, number, offer, body_number):
        codes = "".join(f"<code-ROME>{code}</code-ROME>" for code in offer.rome)
        certification = (
            f"<certification><code-RNCP>{30000 + number}</code-RNCP></certification>"
            if offer.certifying
            else ""
        )
        actions = "".join(
            self.action(number, rank, offer) for rank in range(1, self.random.randint(1, 2) + 1)
        )
        return (
            f'<formation numero="DEMO-G-F-{number}">'
            f'<domaine-formation><code-FORMACODE ref="V13" tag="principal">{offer.formacode}'
            f"</code-FORMACODE><code-NSF>{offer.nsf}</code-NSF>{codes}</domaine-formation>"
            f"<intitule-formation>{escape(offer.title)}</intitule-formation>"
            f"<objectif-formation>Se préparer au métier : {escape(offer.title)}."
            "</objectif-formation>"
            "<resultats-attendus>Offre fictive de démonstration Tisserand.</resultats-attendus>"
            "<contenu-formation>Modules théoriques, mises en situation et stage en "
            "entreprise.</contenu-formation>"
            f"<certifiante>{1 if offer.certifying else 0}</certifiante>"
            "<contact-formation><coordonnees>"
            f"<courriel>formation-{number}@formation-demo.exemple</courriel>"
            "</coordonnees></contact-formation>"
            "<parcours-de-formation>1</parcours-de-formation>"
            "<code-niveau-entree>0</code-niveau-entree>"
            f"{certification}"
            f"<code-niveau-sortie>{offer.exit_level}</code-niveau-sortie>"
            f"{actions}{self.body(body_number)}"
            '<extras info="demo"><extra info="jeu-de-donnees">Offre fictive de démonstration '
            "Tisserand</extra></extras>"
            "</formation>"
        )


def demo_catalogue(trainings=120, bodies=30):
    """The LHÉO file (bytes) of the demo catalogue; None without the communes around Roubaix."""
    communes = _communes()
    if not communes:
        return None
    known = referentials.known_rome_codes({code for offer in OFFERS for code in offer.rome})
    generator = _Generator(communes, set(known) if known is not None else None)
    offers = generator.offers
    body = "\n".join(
        generator.training(number, offers[number % len(offers)], 1 + number % bodies)
        for number in range(1, trainings + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<lheo xmlns="http://lheo.gouv.fr/2.3"><offres>\n'
        f"{body}\n"
        "</offres></lheo>\n"
    ).encode()
