"""Demo accompaniments: ~150 fictitious persons of Roubaix and Lys-lez-Lannoy in the demo
référents' caseloads, at every stage (just entered, in progress, past their planned end,
exited awaiting the 6-month follow-up, followed up), with diagnoses, projects, plans, exits
and their timeline. The appointments app seeds their appointments after it
(``appointments.demo``), from the follow-up periods this app provides to people's hooks.

Everything is flagged as demo data (``Person.is_demo``, ``Accompaniment.is_demo``): names are
drawn from common first and last names, phone numbers from the range reserved for fiction
(06 39 98 xx xx), e-mail addresses end in ``.invalid``. Dates are relative to the day of the
seeding so that alerts show. Running it again changes nothing. Rows are written with
``bulk_create`` (a few hundred milliseconds), the timeline with them.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from tisserand.accompaniment.models import (
    Accompaniment,
    BarrierAssessment,
    EsfRecord,
    EsfStage,
    Objective,
    ObjectiveStatus,
    PlanAction,
    ProfessionalProject,
    Programme,
    SixMonthFollowUp,
    Status,
    SuggestedAction,
)
from tisserand.accompaniment.services import age_band, employment_status_of, results_of_situation
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.people.models import (
    Consent,
    FollowUpMember,
    FollowUpRole,
    GeocodingPrecision,
    Person,
    PublicStatus,
    QpvResidence,
    Situation,
)
from tisserand.people.text import name_key, normalise_name
from tisserand.referentials.rome.models import Appellation
from tisserand.referentials.vocabularies import api as vocabularies
from tisserand.structures import demo as territory
from tisserand.structures.models import Membership, Structure
from tisserand.structures.roles import Role

SEED = 2026
Verb = TimelineEvent.Verb

# Demo référents added by this seeder (the territory has one référent account).
EXTRA_REFERENTS = [
    ("referente@mde-roubaix.test", "Sarah", "Mekki", "mde", Role.REFERENT),
    ("referent@plie-roubaix.test", "Olivier", "Carpentier", "plie", Role.REFERENT),
]
# (e-mail, structure key, programme code, number of persons)
CASELOADS = [
    ("referent@mde-roubaix.test", "mde", "reinforced", 70),
    ("referente@mde-roubaix.test", "mde", "reinforced", 35),
    ("referent@plie-roubaix.test", "plie", "plie", 25),
    ("partenaire@ml-roubaix.test", "ml", "reinforced", 10),
    ("clauses@mde-roubaix.test", "mde", "social_clauses", 10),
]
STRUCTURE_SIRETS = {
    key: territory.demo_siret(n) for n, (key, *_) in enumerate(territory.STRUCTURES, 1)
}


def _words(text):
    return text.split()


FIRST_NAMES = {
    "female": _words(
        "Amel Aurélie Aïcha Céline Chloé Fatou Inès Julie Karima Laetitia Leïla Manon "
        "Mélanie Nadia Nora Océane Samira Sandrine Sonia Yasmina Émilie Jessica Kenza "
        "Mariama Sabrina Virginie"
    ),
    "male": _words(
        "Abdel Anthony Bilal Christophe Dylan Farid Grégory Hakim Jérémy Kevin Ludovic "
        "Mamadou Mehdi Mickaël Nicolas Rachid Samir Sébastien Sofiane Steven Thierry "
        "Yacine Youssef Damien Ibrahim"
    ),
}
LAST_NAMES = _words(
    "Declercq Vandamme Lefebvre Dupont Delattre Benali Bouzid Messaoudi Hennebelle Vanhoutte "
    "Deschamps Cherif Diallo Traoré Kaci Mortier Verbeke Lemaire Carlier Duhamel Ouali Hamidi "
    "Leroy Martin Petit Ziani Baert Vermeulen Bouchez Desmet Saïdi Coulibaly Fontaine Lambert "
    "Dubrulle Roussel Meziane Delcroix Pollet Haddouche"
)
STREETS = {
    "59512": [
        "rue de l'Épeule",
        "boulevard de Belfort",
        "rue Jules Guesde",
        "avenue Jean Lebas",
        "rue de Lannoy",
        "rue du Collège",
        "rue de Tourcoing",
        "rue Pierre de Roubaix",
        "boulevard de Fourmies",
        "rue d'Alger",
        "rue de Cartigny",
        "rue des Arts",
    ],
    "59367": [
        "rue Jean Jaurès",
        "rue de la Gare",
        "rue Faidherbe",
        "avenue Paul Bert",
        "rue du Maréchal Leclerc",
        "rue Carnot",
    ],
}
COMMUNES = {
    "59512": ("59100", "Roubaix", 50.6942, 3.1746),
    "59367": ("59390", "Lys-lez-Lannoy", 50.6717, 3.2153),
}
# Fictitious priority neighbourhoods, used only when no real QPV of the commune is loaded.
FICTITIOUS_QPVS = {
    "59512": [("QN05999A", "Quartier de démonstration Roubaix Nord (fictif)")],
    "59367": [("QN05999B", "Quartier de démonstration Lys Centre (fictif)")],
}
TARGET_ROME_CODES = _words(
    "K2204 N1103 J1501 D1106 N1101 G1602 K1302 K2503 F1703 D1102 H3302 I1203"
)
EMPLOYERS = [
    "Boulangerie des Trois Ponts (fictive)",
    "Logistique de l'Union (fictive)",
    "Clinique du Parc (fictive)",
    "Propreté Roubaisienne (fictive)",
    "Bâtiment Nord Services (fictive)",
    "Restaurant La Manufacture (fictif)",
]
# (stage, share of a caseload)
STAGES = [("new", 0.13), ("active", 0.47), ("overdue", 0.07), ("exited", 0.20), ("followed", 0.13)]


def seed(stdout):
    if Person.objects.filter(is_demo=True, accompaniments__is_demo=True).exists():
        stdout.write("  Accompagnements de démonstration déjà présents.")
        return
    if not vocabularies.labels(vocabularies.BARRIER_THEME):
        stdout.write("  Vocabulaires absents : lancez d'abord load_reference_data.")
        return
    started = timezone.now()
    with transaction.atomic():
        counts = Builder(random.Random(SEED), timezone.localdate()).build()
    seconds = (timezone.now() - started).total_seconds()
    stdout.write(
        f"  {counts['persons']} personnes fictives et {counts['exits']} sorties créées "
        f"en {seconds:.1f} s."
    )
    stdout.write(
        "  Référents de démonstration ajoutés : "
        + ", ".join(email for email, *_ in EXTRA_REFERENTS)
        + f" (mot de passe {territory.DEMO_PASSWORD})."
    )


@dataclass
class Draft:
    """One demo person's path, before the rows are written."""

    person: Person
    membership: Membership
    programme: Programme
    stage: str
    entry_date: object
    accompaniment: Accompaniment = None
    extras: dict = field(default_factory=dict)


class Builder:
    def __init__(self, rng, today):
        self.rng, self.today = rng, today
        self.now = timezone.now()
        self.events = []
        self.content_types = {}

    # --- Reference rows ------------------------------------------------------------------------

    def _structures(self):
        structures = {
            s.siret: s for s in Structure.objects.filter(siret__in=STRUCTURE_SIRETS.values())
        }
        return {key: structures[siret] for key, siret in STRUCTURE_SIRETS.items()}

    def _extra_referents(self, structures):
        user_model = get_user_model()
        for email, first, last, key, role in EXTRA_REFERENTS:
            user = user_model.objects.filter(email=email).first()
            if user is None:
                user = user_model.objects.create_user(
                    email=email, password=territory.DEMO_PASSWORD, first_name=first, last_name=last
                )
            Membership.objects.get_or_create(user=user, structure=structures[key], role=role)

    def _memberships(self, structures):
        memberships = []
        for email, key, code, size in CASELOADS:
            membership = Membership.objects.select_related("user", "structure").get(
                user__email=email, structure=structures[key]
            )
            memberships.append((membership, Programme.objects.get(code=code), size))
        return memberships

    def _communes(self):
        from tisserand.referentials.geo.models import Commune, Qpv

        communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=COMMUNES)}
        qpvs = {}
        for insee in COMMUNES:
            real = list(Qpv.objects.filter(communes__insee_code=insee).values_list("code", "name"))
            qpvs[insee] = real or FICTITIOUS_QPVS[insee]
        return communes, qpvs

    def _appellations(self):
        found = Appellation.objects.filter(
            fiche__code__in=TARGET_ROME_CODES, classification=Appellation.Classification.MAIN
        ).order_by("fiche__code", "label")
        first_per_fiche = {}
        for appellation in found:
            first_per_fiche.setdefault(appellation.fiche_id, appellation)
        return list(first_per_fiche.values())

    # --- Build ---------------------------------------------------------------------------------

    def build(self):
        structures = self._structures()
        self._extra_referents(structures)
        self.memberships = self._memberships(structures)
        self.communes, self.qpvs = self._communes()
        self.appellations = self._appellations()
        self.themes = [t.code for t in vocabularies.terms(vocabularies.BARRIER_THEME)]
        self.suggestions = self._suggestions()
        self.exit_families = vocabularies.category_of(vocabularies.EXIT_TYPE)
        self.isced = vocabularies.category_of(vocabularies.QUALIFICATION_LEVEL)
        self.partner = Membership.objects.select_related("user", "structure").get(
            user__email="partenaire@ml-roubaix.test", structure=structures["ml"]
        )
        drafts = self._drafts()
        Person.objects.bulk_create([d.person for d in drafts])
        self._accompaniments(drafts)
        self._follow_ups(drafts)
        self._statuses(drafts)
        self._diagnoses(drafts)
        self._projects(drafts)
        self._plans(drafts)
        exits = self._exits(drafts)
        self._esf(drafts)
        timeline.bulk_record(self.events, batch_size=500)
        return {"persons": len(drafts), "exits": exits}

    def _drafts(self):
        drafts, serial = [], 0
        for membership, programme, size in self.memberships:
            stages = [stage for stage, share in STAGES for _ in range(round(share * size))]
            stages = (stages + ["active"] * size)[:size]
            for stage in stages:
                serial += 1
                person = self._person(serial, membership)
                drafts.append(Draft(person, membership, programme, stage, self._entry_date(stage)))
        return drafts

    def _entry_date(self, stage):
        days = {
            "new": (3, 28),
            "active": (35, 700),
            "overdue": (300, 500),
            "exited": (250, 800),
            "followed": (500, 1000),
        }[stage]
        return self.today - timedelta(days=self.rng.randint(*days))

    def _person(self, serial, membership):
        rng = self.rng
        gender = rng.choice(["female", "male"])
        first, last = rng.choice(FIRST_NAMES[gender]), rng.choice(LAST_NAMES)
        insee = "59512" if rng.random() < 0.75 else "59367"
        postal_code, _, lat, lon = COMMUNES[insee]
        in_qpv = rng.random() < 0.6
        qpv_code, qpv_name = rng.choice(self.qpvs[insee]) if in_qpv else ("", "")
        situation = rng.choices(
            [Situation.JOB_SEEKER, Situation.INACTIVE, Situation.EMPLOYED], [80, 15, 5]
        )[0]
        since = self.today - timedelta(days=rng.randint(60, 1500))
        return Person(
            owner_structure=membership.structure,
            first_name=first,
            last_name=last,
            search_name=name_key(last, first),
            birth_date=self.today - timedelta(days=rng.randint(18 * 365, 60 * 365)),
            gender=gender,
            email=f"{_slug(first)}.{_slug(last)}.{serial}@exemple.invalid",
            phone=f"+3363998{serial:04d}",
            email_reminders_opt_out=rng.random() < 0.2,
            address_line=f"{rng.randint(1, 180)} {rng.choice(STREETS[insee])}",
            postal_code=postal_code,
            commune=self.communes.get(insee),
            latitude=round(lat + rng.uniform(-0.01, 0.01), 5),
            longitude=round(lon + rng.uniform(-0.01, 0.01), 5),
            geocoding_precision=GeocodingPrecision.ADDRESS,
            qpv_status=QpvResidence.IN_QPV if in_qpv else QpvResidence.NOT_IN_QPV,
            qpv_code=qpv_code,
            qpv_name=qpv_name,
            qpv_determined_on=self.today - timedelta(days=rng.randint(1, 300)),
            qpv_precision=GeocodingPrecision.ADDRESS,
            situation=situation,
            situation_since=since,
            job_seeker_since=since if situation == Situation.JOB_SEEKER else None,
            qualification_level=rng.choice(
                ["level_1", "level_2", "level_3", "level_3", "level_4", "level_5"]
            ),
            languages=rng.choice(
                [["français"], ["français", "arabe"], ["français", "anglais"], ["français", "turc"]]
            ),
            driving_licence=rng.choice(["none", "none", "learning", "b"]),
            has_vehicle=rng.random() < 0.25,
            availability=rng.choice(["immediate", "within_month", "unknown"]),
            is_demo=True,
            created_by=membership.user,
            created_at=self._at(self.today - timedelta(days=rng.randint(0, 2))),
        )

    def _at(self, day, hour=10, minute=0):
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def _event(self, subject, verb, summary, day, draft, *, about=True, hour=11):
        model = type(subject)
        if model not in self.content_types:
            self.content_types[model] = ContentType.objects.get_for_model(model)
        event = TimelineEvent(
            occurred_at=min(self._at(day, hour), self.now),
            actor=draft.membership.user,
            actor_structure=draft.membership.structure,
            subject_type=self.content_types[model],
            subject_id=str(subject.pk),
            verb=verb,
            summary=summary,
        )
        self.events.append((event, draft.person if about else None))

    # --- Accompaniments and follow-up ----------------------------------------------------------

    def _accompaniments(self, drafts):
        for draft in drafts:
            planned_end = None
            if draft.stage == "overdue":
                planned_end = self.today - timedelta(days=self.rng.randint(1, 40))
            elif draft.stage in ("active", "new"):
                planned_end = draft.entry_date + timedelta(days=self.rng.choice([365, 540, 730]))
                planned_end = max(planned_end, self.today + timedelta(days=15))
            draft.accompaniment = Accompaniment(
                person=draft.person,
                programme=draft.programme,
                structure=draft.membership.structure,
                referent=draft.membership.user,
                entry_date=draft.entry_date,
                planned_end_date=planned_end,
                is_demo=True,
                created_by=draft.membership.user,
                created_at=self._at(draft.entry_date),
            )
        Accompaniment.objects.bulk_create([d.accompaniment for d in drafts])
        for draft in drafts:
            self._event(
                draft.person,
                Verb.CREATED,
                f"Fiche créée par {draft.membership.structure} (démonstration)",
                draft.entry_date,
                draft,
                about=False,
                hour=9,
            )
            self._event(
                draft.accompaniment,
                Verb.CREATED,
                f"Entrée en accompagnement « {draft.programme} » le {draft.entry_date:%d/%m/%Y}, "
                f"référent : {draft.membership.user.get_full_name()} "
                f"({draft.membership.structure})",
                draft.entry_date,
                draft,
            )

    def _follow_ups(self, drafts):
        seats, consents = [], []
        colleagues = {}
        for membership, _, _ in self.memberships:
            colleagues.setdefault(membership.structure_id, []).append(membership)
        for draft in drafts:
            membership = draft.membership
            seats.append(
                FollowUpMember(
                    person=draft.person,
                    user=membership.user,
                    structure=membership.structure,
                    role=FollowUpRole.REFERENT,
                    since=draft.entry_date,
                )
            )
            others = [
                m for m in colleagues[membership.structure_id] if m.user_id != membership.user_id
            ]
            if others and self.rng.random() < 0.2:
                seats.append(
                    FollowUpMember(
                        person=draft.person,
                        user=others[0].user,
                        structure=membership.structure,
                        role=FollowUpRole.TEAM,
                        since=draft.entry_date,
                    )
                )
            if membership.structure_id != self.partner.structure_id and self.rng.random() < 0.08:
                seats.append(
                    FollowUpMember(
                        person=draft.person,
                        user=self.partner.user,
                        structure=self.partner.structure,
                        role=FollowUpRole.PARTNER_READER,
                        since=draft.entry_date,
                    )
                )
                consents.append(
                    Consent(
                        person=draft.person,
                        structure=self.partner.structure,
                        scopes=["identity", "accompaniment", "appointments"],
                        given_at=self._at(draft.entry_date),
                        recorded_by=membership.user,
                    )
                )
        FollowUpMember.objects.bulk_create(seats)
        Consent.objects.bulk_create(consents)

    def _statuses(self, drafts):
        statuses = []
        for draft in drafts:
            person = draft.person
            if self.rng.random() < 0.35:
                statuses.append(self._status(person, "rsa", draft))
            if self.rng.random() < 0.1:
                status = self._status(person, "rqth", draft)
                status.valid_until = self.today + timedelta(days=self.rng.choice([20, 60, 400]))
                statuses.append(status)
        for status in statuses:
            status.is_special_category = status.kind in ("rqth", "aah", "health", "justice")
        PublicStatus.objects.bulk_create(statuses)

    def _status(self, person, kind, draft):
        return PublicStatus(
            person=person,
            kind=kind,
            proof="Justificatif vu (démonstration)",
            valid_from=draft.entry_date - timedelta(days=self.rng.randint(30, 700)),
            recorded_by=draft.membership.user,
        )

    # --- Diagnosis, project, plan --------------------------------------------------------------

    def _diagnoses(self, drafts):
        rows = []
        for draft in drafts:
            assessed_on = min(draft.entry_date + timedelta(days=7), self.today)
            themes = self.themes if draft.stage != "new" else self.rng.sample(self.themes, 4)
            draft.extras["barriers"] = []
            for theme in themes:
                level = self.rng.choices([0, 1, 2, 3], [35, 30, 25, 10])[0]
                if level >= 2:
                    draft.extras["barriers"].append(theme)
                rows.append(
                    BarrierAssessment(
                        accompaniment=draft.accompaniment,
                        theme=theme,
                        level=level,
                        comment="Évalué lors de l'entretien de diagnostic." if level >= 2 else "",
                        assessed_on=assessed_on,
                        recorded_by=draft.membership.user,
                        recorded_at=min(self._at(assessed_on, 14), self.now),
                    )
                )
            self._event(
                draft.accompaniment,
                Verb.CHANGED,
                f"Diagnostic du {assessed_on:%d/%m/%Y} : {len(themes)} thématiques évaluées",
                assessed_on,
                draft,
                hour=14,
            )
        BarrierAssessment.objects.bulk_create(rows, batch_size=500)

    def _projects(self, drafts):
        projects, links = [], []
        through = ProfessionalProject.target_appellations.through
        for draft in drafts:
            if draft.stage == "new":
                continue
            projects.append(
                ProfessionalProject(
                    accompaniment=draft.accompaniment,
                    contract_types=self.rng.sample(["cdi", "cdd", "temp_work", "cddi"], 2),
                    working_time=self.rng.choice(["full_time", "part_time", "any"]),
                    mobility_radius_km=self.rng.choice([5, 10, 15, 20, 30]),
                    updated_by=draft.membership.user,
                )
            )
        ProfessionalProject.objects.bulk_create(projects)
        for project in projects:
            for appellation in self.rng.sample(self.appellations, min(2, len(self.appellations))):
                links.append(
                    through(professionalproject_id=project.pk, appellation_id=appellation.pk)
                )
        through.objects.bulk_create(links)

    def _suggestions(self):
        grouped = {}
        for suggestion in SuggestedAction.objects.all():
            grouped.setdefault(suggestion.theme, []).append(suggestion)
        return grouped

    def _plans(self, drafts):
        objectives, planned = [], []
        theme_labels = vocabularies.labels(vocabularies.BARRIER_THEME)
        for draft in drafts:
            themes = draft.extras["barriers"][:3] or ["employment"]
            if draft.stage == "new":
                themes = themes[:1]
            for theme in themes:
                objective = Objective(
                    accompaniment=draft.accompaniment,
                    theme=theme,
                    label=f"Lever le frein : {theme_labels[theme].lower()}",
                    status=ObjectiveStatus.ACHIEVED
                    if draft.stage == "followed"
                    else ObjectiveStatus.IN_PROGRESS,
                    created_by=draft.membership.user,
                    created_at=self._at(draft.entry_date + timedelta(days=8)),
                )
                objectives.append(objective)
                planned.append((draft, objective))
        Objective.objects.bulk_create(objectives)
        actions = []
        for draft, objective in planned:
            for suggestion in self.suggestions.get(objective.theme, [])[: self.rng.randint(1, 2)]:
                actions.append(self._action(draft, objective, suggestion))
        PlanAction.objects.bulk_create(actions)

    def _action(self, draft, objective, suggestion):
        start = draft.entry_date + timedelta(days=self.rng.randint(10, 60))
        if draft.stage in ("exited", "followed") or start < self.today - timedelta(days=120):
            status, end = "done", min(start + timedelta(days=30), self.today)
        elif start <= self.today:
            status, end = "in_progress", None
        else:
            status, end = "planned", None
        return PlanAction(
            objective=objective,
            action_type=suggestion.action_type,
            label=suggestion.label,
            partner_name="Partenaire local (démonstration)",
            status=status,
            start_date=start,
            end_date=end,
            created_by=draft.membership.user,
        )

    # --- Exits ---------------------------------------------------------------------------------

    def _exit_type(self):
        return self.rng.choices(
            [
                "cdi",
                "cdd_6_months_plus",
                "cdd_under_6_months",
                "temp_work_under_6_months",
                "qualifying_training",
                "siae_hire",
                "job_seeker",
                "moved_away",
                "lost_contact",
            ],
            [20, 14, 10, 8, 12, 8, 14, 6, 8],
        )[0]

    def _exits(self, drafts):
        follow_ups, exited = [], []
        for draft in drafts:
            if draft.stage not in ("exited", "followed"):
                continue
            # Some exits reach their 6-month follow-up within the fortnight (alert).
            days_ago = (
                self.rng.choice([self.rng.randint(20, 160), self.rng.randint(170, 190)])
                if draft.stage == "exited"
                else self.rng.randint(200, 400)
            )
            exit_date = max(
                self.today - timedelta(days=days_ago), draft.entry_date + timedelta(days=60)
            )
            exit_type = self._exit_type()
            accompaniment = draft.accompaniment
            accompaniment.status, accompaniment.exit_date = Status.CLOSED, exit_date
            accompaniment.exit_type = exit_type
            accompaniment.closed_at = self._at(exit_date, 17)
            if self.exit_families.get(exit_type) in ("durable_employment", "transition_employment"):
                accompaniment.exit_contract_type = (
                    "cdi"
                    if exit_type == "cdi"
                    else ("temp_work" if exit_type.startswith("temp") else "cdd")
                )
                accompaniment.exit_employer = self.rng.choice(EMPLOYERS)
            follow_up = SixMonthFollowUp.scheduled_for(accompaniment)
            if draft.stage == "followed" and follow_up.window_opens_on <= self.today:
                follow_up.contacted_on = min(follow_up.due_on + timedelta(days=3), self.today)
                follow_up.situation = exit_type if self.rng.random() < 0.7 else "job_seeker"
                if self.exit_families.get(follow_up.situation) in (
                    "durable_employment",
                    "transition_employment",
                ):
                    follow_up.contract_type = accompaniment.exit_contract_type or "cdd"
                follow_up.recorded_by = draft.membership.user
                follow_up.recorded_at = self._at(follow_up.contacted_on, 16)
                follow_up.reminded_at = self._at(follow_up.due_on - timedelta(days=14), 7)
            follow_ups.append(follow_up)
            draft.extras["follow_up"] = follow_up
            exited.append(accompaniment)
            self._exit_events(draft, follow_up)
        Accompaniment.objects.bulk_update(
            exited,
            [
                "status",
                "exit_date",
                "exit_type",
                "exit_contract_type",
                "exit_employer",
                "closed_at",
            ],
        )
        SixMonthFollowUp.objects.bulk_create(follow_ups)
        return len(exited)

    def _exit_events(self, draft, follow_up):
        labels = vocabularies.labels(vocabularies.EXIT_TYPE)
        accompaniment = draft.accompaniment
        self._event(
            accompaniment,
            Verb.STATUS_CHANGED,
            f"Sortie de l'accompagnement « {draft.programme} » le "
            f"{accompaniment.exit_date:%d/%m/%Y} : {labels[accompaniment.exit_type]}. "
            f"Suivi à 6 mois prévu le {follow_up.due_on:%d/%m/%Y}.",
            accompaniment.exit_date,
            draft,
            hour=17,
        )
        if follow_up.recorded_at:
            self._event(
                accompaniment,
                Verb.ACTION,
                f"Suivi à 6 mois de la sortie du {accompaniment.exit_date:%d/%m/%Y} : "
                f"{labels[follow_up.situation]}",
                follow_up.contacted_on,
                draft,
                hour=16,
            )

    # --- ESF+ ----------------------------------------------------------------------------------

    def _esf(self, drafts):
        records = []
        for draft in drafts:
            person, accompaniment = draft.person, draft.accompaniment
            records.append(
                EsfRecord(
                    accompaniment=accompaniment,
                    stage=EsfStage.ENTRY,
                    captured_on=draft.entry_date,
                    gender=person.gender,
                    age_band=age_band(person.birth_date, draft.entry_date),
                    isced_group=self.isced.get(person.qualification_level, ""),
                    employment_status=employment_status_of(person, draft.entry_date),
                    is_homeless_or_excluded_from_housing=self.rng.random() < 0.05,
                    lives_in_rural_area=False,
                    recorded_by=draft.membership.user,
                )
            )
            if accompaniment.status == Status.CLOSED:
                records.append(
                    EsfRecord(
                        accompaniment=accompaniment,
                        stage=EsfStage.EXIT,
                        captured_on=accompaniment.exit_date,
                        gained_qualification=accompaniment.exit_type == "qualifying_training",
                        recorded_by=draft.membership.user,
                        **results_of_situation(accompaniment.exit_type),
                    )
                )
            follow_up = draft.extras.get("follow_up")
            if follow_up is not None and follow_up.recorded_at:
                records.append(
                    EsfRecord(
                        accompaniment=accompaniment,
                        stage=EsfStage.SIX_MONTHS,
                        captured_on=follow_up.contacted_on,
                        is_employed=results_of_situation(follow_up.situation)["is_employed"],
                        recorded_by=draft.membership.user,
                    )
                )
        EsfRecord.objects.bulk_create(records, batch_size=500)


def _slug(text):
    return normalise_name(text).replace(" ", "-")
