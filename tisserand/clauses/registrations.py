"""What the clauses app adds: its navigation entry and home card, the « Clauses sociales »
section of the person page, the leader portal's entry, the documents of the eligibility
criteria, the starting list of criteria, its merge hook and its demo seeder."""

from tisserand.clauses import initial_data, panel, perms
from tisserand.clauses.models import Participant
from tisserand.companies import portal
from tisserand.core import demo, home, navigation, records, reference_data
from tisserand.core.documents import Attachable, attachables
from tisserand.people import merging


def _may_open_criterion(membership, participant):
    return perms.manages(membership) and membership.structure_id == participant.structure_id


def register_all():
    reference_data.register(
        reference_data.Loader(
            "Critères d'éligibilité des clauses sociales", initial_data.load, order=85
        )
    )
    navigation.register(
        navigation.NavEntry(
            "Clauses sociales", "clauses:home", perms.reads, order=70, prefix="/clauses/"
        )
    )
    home.register(
        home.HomeCard(
            "Clauses sociales",
            "Opérations, marchés et lots, heures d'insertion dues et réalisées, alertes.",
            "Ouvrir les clauses sociales",
            "clauses:home",
            perms.reads,
            order=70,
        )
    )
    home.register(
        home.HomeCard(
            "Clauses sociales : chiffres agrégés",
            "Les heures d'insertion du réseau par programme, sans aucune donnée nominative.",
            "Voir les chiffres",
            "clauses:aggregates",
            lambda membership: perms.reads_aggregates(membership) and not perms.reads(membership),
            order=71,
        )
    )
    records.register_section(
        records.Section(
            kind="person",
            key="clauses",
            title="Clauses sociales",
            template_name="clauses/panel.html",
            predicate=panel.visible,
            context=panel.context,
            order=80,
        )
    )
    portal.register(
        portal.PortalEntry(
            "clauses",
            "Clauses sociales : déclarer les heures",
            "clauses:portal_lots",
            "Les heures d'insertion de vos lots, mois par mois.",
            order=40,
        )
    )
    attachables.register(
        Attachable(
            "clauses.participantcriterion",
            record=lambda request, row: row.participant,
            may_open=_may_open_criterion,
            logged=lambda participant, row: (
                participant,
                participant.structure,
                f"{participant} — justificatif d'éligibilité",
            ),
        )
    )
    merging.register(merging.MergeHook(Participant, "person"))
    # After the companies (40–46) and the accompaniments (50) it takes persons from.
    demo.register(demo.Seeder("Clauses sociales (démonstration)", _seed, order=75))


def _seed(stdout):
    from tisserand.clauses.demo import seed

    seed(stdout)
