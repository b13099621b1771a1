"""ESF+ indicators: the common output indicators at entry and the result indicators at exit
and 6 months after, from the data the accompaniment collects (``EsfRecord``), by gender; and
the per-participant export.

**Participant rule**: an accompaniment that began and ended on the same day (a one-day action)
does not make a participant; neither does a 6-month result recorded outside its window.
"""

from django.db.models import Count, F, Q

from tisserand.accompaniment.models import EsfRecord
from tisserand.people.models import Gender
from tisserand.reporting.masking import mask
from tisserand.reporting.tables import Table

GENDERS = list(Gender.choices)

ENTRY_INDICATORS = [
    ("Participants", Q()),
    (
        "Chômeurs, y compris de longue durée",
        Q(employment_status__in=["unemployed", "long_term_unemployed"]),
    ),
    ("Chômeurs de longue durée", Q(employment_status="long_term_unemployed")),
    ("Inactifs", Q(employment_status="inactive")),
    ("Personnes en emploi, y compris indépendants", Q(employment_status="employed")),
    ("Moins de 18 ans", Q(age_band="under_18")),
    ("18 à 29 ans", Q(age_band="18_29")),
    ("55 ans et plus", Q(age_band="55_plus")),
    ("CITE 0 à 2", Q(isced_group="isced_0_2")),
    ("CITE 3 à 4", Q(isced_group="isced_3_4")),
    ("CITE 5 à 8", Q(isced_group="isced_5_8")),
    ("Personnes handicapées", Q(has_disability=True)),
    ("Ressortissants de pays tiers", Q(is_third_country_national=True)),
    ("Participants d'origine étrangère", Q(has_foreign_origin=True)),
    ("Minorités", Q(is_minority=True)),
    ("Sans domicile ou exclus du logement", Q(is_homeless_or_excluded_from_housing=True)),
    ("Zones rurales", Q(lives_in_rural_area=True)),
]
EXIT_INDICATORS = [
    ("En recherche d'emploi à la sortie", Q(is_job_searching=True)),
    ("En études ou en formation à la sortie", Q(is_in_education_or_training=True)),
    ("Ayant obtenu une qualification à la sortie", Q(gained_qualification=True)),
    ("En emploi à la sortie, y compris indépendants", Q(is_employed=True)),
]
SIX_MONTHS_INDICATORS = [
    ("En emploi 6 mois après la sortie, y compris indépendants", Q(is_employed=True)),
]


def participations(scope, period):
    """The ESF+ records of the accompaniments entered in the period that make a participant."""
    rows = EsfRecord.objects.filter(
        accompaniment__entry_date__range=(period.start, period.end)
    ).exclude(accompaniment__exit_date=F("accompaniment__entry_date"))
    return scope.restrict(
        rows,
        structure="accompaniment__structure_id",
        programme="accompaniment__programme_id",
        commune="accompaniment__person__commune",
        qpv="accompaniment__person__qpv_code",
    )


def _aggregate(rows, indicators, gender_path):
    """One query: every indicator as a conditional count, grouped by gender."""
    if not indicators:
        return []
    aggregates = {
        f"i{i}": Count("id", filter=condition) for i, (_, condition) in enumerate(indicators)
    }
    found = {
        row["person_gender"]: row
        for row in rows.values(person_gender=F(gender_path)).annotate(**aggregates).order_by()
    }
    return [
        [found.get(code, {}).get(f"i{i}", 0) for code, _ in GENDERS] for i in range(len(indicators))
    ]


def _table(title, indicators, grid, note, key):
    lines = []
    for (label, _), counts in zip(indicators, grid, strict=True):
        masked = mask([counts])
        lines.append(
            [label, *[masked.shown(0, g) for g in range(len(GENDERS))], masked.shown(0, None)]
        )
    return Table(
        title, ["Indicateur", *[label for _, label in GENDERS], "Total"], lines, note, key=key
    )


def tables(scope, period):
    rows = participations(scope, period)
    entry = rows.filter(stage="entry")
    exits = rows.filter(stage="exit")
    six = rows.filter(stage="six_months", accompaniment__six_month_follow_up__outside_window=False)
    gender = "accompaniment__person__gender"
    return [
        _table(
            "Indicateurs communs de réalisation (à l'entrée)",
            ENTRY_INDICATORS,
            _aggregate(entry, ENTRY_INDICATORS, gender),
            "Participants entrés pendant la période ; une action d'un jour ne fait pas un "
            "participant. Chaque ligne se lit par genre ; « masqué » : effectif de 1 à 4, "
            "ou case qui permettrait de le retrouver.",
            "fse-entree",
        ),
        _table(
            "Indicateurs communs de résultat (à la sortie)",
            EXIT_INDICATORS,
            _aggregate(exits, EXIT_INDICATORS, gender),
            "Participants entrés pendant la période et sortis depuis.",
            "fse-sortie",
        ),
        _table(
            "Indicateurs de résultat à plus long terme (6 mois après)",
            SIX_MONTHS_INDICATORS,
            _aggregate(six, SIX_MONTHS_INDICATORS, gender),
            "Suivis à 6 mois saisis dans leur fenêtre (5 à 9 mois après la sortie).",
            "fse-6-mois",
        ),
    ]


def _answer(value):
    return "non renseigné" if value is None else ("oui" if value else "non")


PARTICIPANT_COLUMNS = [
    ("Accompagnement", "Identifiant public de l'opération (accompagnement)"),
    ("Programme", "Programme de l'accompagnement"),
    ("Structure", "Structure qui porte l'accompagnement"),
    ("Nom", "Nom de la personne"),
    ("Prénom", "Prénom de la personne"),
    ("Date de naissance", "jj/mm/aaaa"),
    ("Genre", "Genre de la fiche"),
    ("Date d'entrée", "Date d'entrée dans l'accompagnement"),
    ("Date de sortie", "Vide si en cours"),
    ("Tranche d'âge à l'entrée", "Moins de 18, 18-29, 30-54, 55 et plus"),
    ("Niveau CITE", "Groupe CITE (ISCED) du niveau de qualification"),
    ("Situation à l'entrée", "Chômeur, chômeur de longue durée, inactif, en emploi"),
    ("Handicap", "oui, non ou non renseigné (refus de répondre permis)"),
    ("Ressortissant de pays tiers", "oui, non ou non renseigné"),
    ("Origine étrangère", "oui, non ou non renseigné"),
    ("Minorité", "oui, non ou non renseigné"),
    ("Sans domicile", "oui, non ou non renseigné"),
    ("Zone rurale", "oui, non ou non renseigné"),
    ("Recherche d'emploi à la sortie", "oui, non ou non renseigné"),
    ("Formation à la sortie", "oui, non ou non renseigné"),
    ("Qualification à la sortie", "oui, non ou non renseigné"),
    ("Emploi à la sortie", "oui, non ou non renseigné"),
    ("Emploi à 6 mois", "oui, non ou non renseigné (vide hors fenêtre du suivi)"),
]


def participant_rows(structure, period):
    """One row per participant and operation of ``structure`` entered in the period (one
    query per stage, no query per row)."""
    from tisserand.accompaniment.models import Accompaniment, AgeBand, EmploymentStatus

    accompaniments = (
        Accompaniment.objects.filter(
            structure=structure, entry_date__range=(period.start, period.end)
        )
        .exclude(exit_date=F("entry_date"))
        .select_related("person", "programme", "structure", "six_month_follow_up")
        .order_by("entry_date", "id")
    )
    records = {}
    for record in EsfRecord.objects.filter(accompaniment__in=accompaniments):
        records[(record.accompaniment_id, record.stage)] = record
    genders = dict(GENDERS)
    ages, statuses = dict(AgeBand.choices), dict(EmploymentStatus.choices)
    for accompaniment in accompaniments:
        entry = records.get((accompaniment.pk, "entry"))
        exit_ = records.get((accompaniment.pk, "exit"))
        six = records.get((accompaniment.pk, "six_months"))
        person = accompaniment.person
        yield [
            str(accompaniment.public_id),
            str(accompaniment.programme),
            str(accompaniment.structure),
            person.last_name.upper(),
            person.first_name,
            person.birth_date.strftime("%d/%m/%Y"),
            genders.get(person.gender, ""),
            accompaniment.entry_date.strftime("%d/%m/%Y"),
            accompaniment.exit_date.strftime("%d/%m/%Y") if accompaniment.exit_date else "",
            ages.get(entry.age_band, "") if entry else "",
            entry.isced_label if entry else "",
            statuses.get(entry.employment_status, "") if entry else "",
            *[
                _answer(getattr(entry, name)) if entry else "non renseigné"
                for name in (
                    "has_disability",
                    "is_third_country_national",
                    "has_foreign_origin",
                    "is_minority",
                    "is_homeless_or_excluded_from_housing",
                    "lives_in_rural_area",
                )
            ],
            *[
                _answer(getattr(exit_, name)) if exit_ else ""
                for name in (
                    "is_job_searching",
                    "is_in_education_or_training",
                    "gained_qualification",
                    "is_employed",
                )
            ],
            _six_months(six, accompaniment),
        ]


def _six_months(record, accompaniment):
    if record is None:
        return ""
    follow_up = getattr(accompaniment, "six_month_follow_up", None)
    if follow_up is not None and follow_up.outside_window:
        return ""
    return _answer(record.is_employed)
