"""Demo relationship data, seeded after the demo companies (40): the catalogue of subjects,
routing rules for the demo structures, journal entries on the demo companies and needs at
every status (to route, waiting, taken in charge, done with and without help, not reachable,
abandoned, refused), one answered satisfaction question. Fictitious; running it again changes
nothing."""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from tisserand.companies import need_catalogue, satisfaction
from tisserand.companies.models import (
    AssignmentStatus,
    Establishment,
    HeadcountBand,
    Interaction,
    InteractionKind,
    Need,
    NeedAssignment,
    NeedKind,
    NeedSubject,
    RoutingRule,
    SatisfactionRequest,
)
from tisserand.core import timeline
from tisserand.core.models import TimelineEvent
from tisserand.structures.models import Membership, Structure, StructureKind
from tisserand.structures.roles import Capability, roles_with

SEED = 2026
S = AssignmentStatus
# (assignment statuses, days since the routing): one need per line, every need status.
NEED_PLANS = [
    ((), 2),
    ((S.WAITING,), 3),
    ((S.WAITING, S.WAITING), 12),
    ((S.TAKEN,), 15),
    ((S.TAKEN, S.NOT_FOR_ME), 20),
    ((S.DONE,), 40),
    ((S.DONE, S.NOT_FOR_ME), 60),
    ((S.DONE_NO_HELP,), 35),
    ((S.NOT_REACHABLE,), 30),
    ((S.ABANDONED,), 50),
    ((S.NOT_FOR_ME, S.NOT_FOR_ME), 25),
    ((S.WAITING,), 22),
]
SUMMARIES = {
    InteractionKind.VISIT: "Visite de l'atelier avec la dirigeante : activité en hausse, "
    "deux postes de préparateur de commandes à pourvoir d'ici l'été.",
    InteractionKind.CALL: "Appel du gérant : questions sur l'aide à l'embauche d'un alternant.",
    InteractionKind.EMAIL: "Envoi de la plaquette du club RH et des dates des prochaines réunions.",
    InteractionKind.EVENT: "Rencontre au forum de l'emploi de Roubaix : intérêt pour un "
    "job dating logistique.",
    InteractionKind.OTHER: "Point avec l'expert-comptable de l'entreprise sur le plan "
    "de formation.",
}
DESCRIPTIONS = {
    NeedKind.RECRUITMENT: "Deux préparateurs de commandes en CDI, débutants acceptés.",
    NeedKind.HR: "Le gérant veut structurer l'accueil des nouveaux salariés.",
    NeedKind.SKILLS: "Former l'équipe à la conduite de chariots (CACES R489).",
    NeedKind.REGULATION: "Questions sur la durée du travail des apprentis mineurs.",
    NeedKind.FINANCING: "Financer la formation d'un salarié via l'OPCO.",
    NeedKind.PREMISES: "Cherche un local d'activité de 400 m² à Roubaix ou Tourcoing.",
    NeedKind.OTHER: "Souhaite rencontrer d'autres dirigeants du secteur.",
}


def _officer(structure):
    membership = (
        Membership.objects.filter(
            structure=structure, is_active=True, role__in=roles_with(Capability.MANAGE_COMPANIES)
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def seed(stdout):
    need_catalogue.load()
    if Need.objects.filter(description__in=DESCRIPTIONS.values()).exists():
        stdout.write("  Journal et besoins de démonstration déjà présents.")
        return
    companies = list(
        Establishment.objects.active().select_related("legal_unit").order_by("siret")[:24]
    )
    structures = list(
        Structure.objects.filter(is_demo=True, is_active=True)
        .exclude(kind=StructureKind.FUNDER)
        .order_by("pk")
    )
    if not companies or not structures:
        stdout.write("  Pas d'entreprise ou de structure de démonstration : rien à ajouter.")
        return
    with transaction.atomic():
        _seed(stdout, companies, structures)


def _seed(stdout, companies, structures):
    rng = random.Random(SEED)
    now = timezone.now()
    home = next((s for s in structures if s.kind == StructureKind.MAISON_EMPLOI), structures[0])
    officer = _officer(home)
    subjects = list(NeedSubject.objects.filter(is_active=True).order_by("kind", "order"))
    # Routing rules: each demo structure covers a few kinds of subjects.
    covers = {
        StructureKind.MAISON_EMPLOI: [NeedKind.RECRUITMENT, NeedKind.HR, NeedKind.SKILLS],
        StructureKind.FRANCE_TRAVAIL: [NeedKind.RECRUITMENT, NeedKind.FINANCING],
        StructureKind.MISSION_LOCALE: [NeedKind.RECRUITMENT],
        StructureKind.PLIE: [NeedKind.RECRUITMENT, NeedKind.SKILLS],
        StructureKind.SIAE: [NeedKind.RECRUITMENT],
        StructureKind.CCAS: [NeedKind.OTHER],
    }
    rules = 0
    for structure in structures:
        kinds = covers.get(structure.kind, [NeedKind.OTHER])
        rule = RoutingRule.objects.create(
            structure=structure,
            label=f"Ce que couvre {structure.name}",
            headcount_bands=[]
            if structure.kind != StructureKind.MISSION_LOCALE
            else [HeadcountBand.B01, HeadcountBand.B02, HeadcountBand.B03, HeadcountBand.B11],
        )
        rule.subjects.set([s for s in subjects if s.kind in kinds])
        rules += 1
    # The journal: two or three exchanges on most companies, some with a next action.
    interactions = []
    for index, company in enumerate(companies):
        for n in range(rng.randint(0, 3)):
            kind = rng.choice(list(InteractionKind))
            occurred = (now - timedelta(days=rng.randint(3, 200))).date()
            upcoming = n == 0 and index % 3 == 0
            interactions.append(
                Interaction(
                    establishment=company,
                    kind=kind,
                    occurred_on=occurred,
                    summary=SUMMARIES[kind],
                    author=officer,
                    author_structure=home,
                    next_action="Rappeler pour faire le point sur les recrutements"
                    if upcoming
                    else "",
                    next_action_on=(now + timedelta(days=rng.randint(1, 20))).date()
                    if upcoming
                    else None,
                )
            )
    Interaction.objects.bulk_create(interactions)
    drafts = [
        (
            TimelineEvent(
                subject_type=ContentType.objects.get_for_model(Interaction),
                subject_id=str(i.pk),
                verb="interaction_logged",
                summary=f"{i.get_kind_display()} du {i.occurred_on:%d/%m/%Y}",
                actor=officer,
                actor_structure=home,
            ),
            i.establishment,
        )
        for i in interactions
    ]
    timeline.bulk_record(drafts)
    # Needs at every status.
    created = 0
    for index, (statuses, days) in enumerate(NEED_PLANS):
        company = companies[index % len(companies)]
        subject = subjects[(index * 5) % len(subjects)]
        routed_at = now - timedelta(days=days)
        need = Need.objects.create(
            establishment=company,
            subject=subject,
            description=DESCRIPTIONS[NeedKind(subject.kind)],
            contact=company.contacts.filter(is_active=True).order_by("pk").first(),
            created_by=officer,
            created_by_structure=home,
        )
        Need.objects.filter(pk=need.pk).update(created_at=routed_at - timedelta(days=1))
        for position, status in enumerate(statuses):
            structure = structures[(index + position) % len(structures)]
            taken = routed_at + timedelta(days=2) if status != S.WAITING else None
            closed = (
                routed_at + timedelta(days=min(days - 1, 45))
                if status
                not in (
                    S.WAITING,
                    S.TAKEN,
                )
                else None
            )
            NeedAssignment.objects.create(
                need=need,
                structure=structure,
                user=_officer(structure),
                status=status,
                assigned_by=officer,
                assigned_at=routed_at,
                taken_at=taken if status == S.TAKEN or status == S.DONE else None,
                closed_at=closed,
                first_reminder_at=routed_at + timedelta(days=9)
                if days >= 9 and not taken
                else None,
                second_reminder_at=routed_at + timedelta(days=21)
                if days >= 21 and not taken
                else None,
            )
        if statuses == (S.DONE,) and need.contact and need.contact.email:
            SatisfactionRequest.objects.create(
                need=need,
                email=need.contact.email,
                # Already answered: the link no longer opens anything.
                token_digest=satisfaction.digest(f"demo-{need.pk}"),
                sent_at=now - timedelta(days=5),
                expires_at=now + timedelta(days=25),
                answered_at=now - timedelta(days=4),
                contacted=True,
                useful=True,
                outcome="Deux recrutements en CDI après un job dating.",
            )
        timeline.record(
            need, "need_recorded", f"Besoin enregistré : {subject}", actor=officer,
            structure=home, about=company,
        )  # fmt: skip
        created += 1
    stdout.write(
        f"  {rules} règles d'orientation, {len(interactions)} échanges, {created} besoins "
        "de démonstration."
    )
