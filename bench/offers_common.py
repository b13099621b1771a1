"""Shared set-up of the offers benchmarks: a throwaway database (SQLite unless DATABASE_URL
is set), fictitious fiches, appellations, skills and communes, and offers generated in
France Travail's « Offres d'emploi v2 » format."""

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CENTRE = (50.6879, 3.1826)  # Roubaix
FICHE_CODES = [f"{letter}{number:04d}" for letter in "DGHKMN" for number in range(1101, 1110)]
CONTRACTS = ["CDI", "CDD", "MIS", "SAI"]


def setup_django():
    if not os.environ.get("DATABASE_URL"):
        os.environ["TISSERAND_SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tisserand.settings")
    os.environ.setdefault("TISSERAND_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_referentials(rng, communes=200, skills_per_fiche=25):
    from tisserand.referentials.geo.models import Commune
    from tisserand.referentials.rome.models import Appellation, Fiche, FicheSkill, Skill

    fiches = Fiche.objects.bulk_create(
        Fiche(
            code=code,
            code_ogr=900000 + i,
            label=f"Fiche {code}",
            parent_code=code,
            first_version="4.60",
        )
        for i, code in enumerate(FICHE_CODES)
    )
    Appellation.objects.bulk_create(
        Appellation(
            code_ogr=10000 + i,
            label=f"Métier {fiche.code}",
            short_label=f"Métier {fiche.code}",
            fiche=fiche,
            classification="PRINCIPALE",
            search_text=f"metier {fiche.code.lower()}",
            first_version="4.60",
        )
        for i, fiche in enumerate(fiches)
    )
    skills = Skill.objects.bulk_create(
        Skill(
            code_ogr=100000 + n, label=f"Compétence {n}", kind="savoir_faire", first_version="4.60"
        )
        for n in range(600)
    )
    FicheSkill.objects.bulk_create(
        FicheSkill(fiche=fiche, skill=skill, rubrique=1, coeur_metier="principale" if k < 5 else "")
        for fiche in fiches
        for k, skill in enumerate(rng.sample(skills, skills_per_fiche))
    )
    rows = [
        Commune(
            insee_code=f"59{n:03d}",
            name=f"Commune {n}",
            search_name=f"commune {n}",
            latitude=CENTRE[0] + rng.uniform(-0.6, 0.6),
            longitude=CENTRE[1] + rng.uniform(-0.9, 0.9),
        )
        for n in range(1, communes + 1)
    ]
    Commune.objects.bulk_create(rows)
    return [(c.insee_code, c.latitude, c.longitude) for c in rows]


def ft_records(rng, count, communes, prefix="B"):
    now = datetime(2026, 11, 30, tzinfo=UTC)
    records = []
    for n in range(count):
        code = rng.choice(FICHE_CODES)
        insee, lat, lon = rng.choice(communes)
        records.append(
            {
                "id": f"{prefix}{n:07d}",
                "intitule": f"Métier {code} H/F",
                "description": "Offre générée pour le banc d'essai. " * 5,
                "dateCreation": (now - timedelta(minutes=n)).isoformat(),
                "lieuTravail": {
                    "libelle": f"Commune {insee}",
                    "latitude": lat,
                    "longitude": lon,
                    "commune": insee,
                },
                "romeCode": code,
                "appellationlibelle": f"Métier {code}",
                "entreprise": {"nom": f"Entreprise {n % 900}"},
                "typeContrat": rng.choice(CONTRACTS),
                "nombrePostes": 1,
                "experienceExige": rng.choice("DSE"),
                "alternance": rng.random() < 0.1,
                "competences": [
                    {
                        "code": str(100000 + rng.randrange(600)),
                        "libelle": "Compétence",
                        "exigence": rng.choice("ES"),
                    }
                    for _ in range(4)
                ],
                "dureeTravailLibelleConverti": rng.choice(["Temps plein", "Temps partiel"]),
                "accessibleTH": rng.random() < 0.3,
            }
        )
    return records


def load_offers(rng, count, communes):
    from tisserand.opportunities.importing import francetravail, sync
    from tisserand.opportunities.models import OfferSource

    drafts = francetravail.parse(ft_records(rng, count, communes))
    return sync.sync(drafts, source=OfferSource.FRANCE_TRAVAIL)


def median_ms(samples):
    import statistics

    return statistics.median(samples) * 1000
