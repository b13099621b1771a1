"""What the reporting adds: its indicators (one module per app it reads), the navigation
entry, the home cards of directors and funders (with real figures), the NAF classification's
loader and the demo objectives."""

from django.utils import timezone

from tisserand.core import demo, home, navigation, reference_data
from tisserand.people import merging
from tisserand.people import retention as people_retention
from tisserand.reporting import (
    facts,
    indicators_accompaniment,
    indicators_accompaniment_v2,
    indicators_clauses,
    indicators_companies,
    indicators_events,
    indicators_opportunities,
    indicators_opportunities_v2,
    indicators_referrals,
    perms,
)
from tisserand.reporting.models import AccompanimentFact


def _year_to_date():
    from tisserand.reporting.indicators import Period

    today = timezone.localdate()
    return Period(today.replace(month=1, day=1), today)


def _accompanied_figure(membership):
    from tisserand.reporting import indicators, scopes
    from tisserand.reporting.masking import masked_count

    perimeter = scopes.chosen(membership, "")
    if perimeter is None:
        return None
    value = indicators.get("accompanied").compute(perimeter.scope, _year_to_date())
    if perms.masks_small_counts(membership) and masked_count(value) is None:
        return ("< 5", "personnes accompagnées cette année")
    return (
        value,
        f"personne{'s' if value > 1 else ''} accompagnée{'s' if value > 1 else ''} cette année",
    )


def _describe_dashboard(membership):
    if perms.is_funder(membership):
        return (
            "Les agrégats des conventions que vous financez : indicateurs, objectifs, "
            "égalité des chances, FSE+ ; jamais une personne, aucun effectif sous 5."
        )
    if perms.sees_network(membership):
        return "Les indicateurs de tout le réseau, par structure, programme, territoire et période."
    return "Les indicateurs de votre structure, par programme, territoire et période."


def _conventions_figure(membership):
    """The conventions under way (one count: the progress of their objectives, which costs an
    aggregate per objective, is on their pages)."""
    from tisserand.reporting import scopes

    today = timezone.localdate()
    count = (
        scopes.conventions_for(membership).filter(starts_on__lte=today, ends_on__gte=today).count()
    )
    return (count, f"convention{'s' if count > 1 else ''} en cours")


def _seed(stdout):
    from tisserand.reporting import demo as reporting_demo

    reporting_demo.seed(stdout)


def _load_naf(stdout):
    from tisserand.reporting.services import load_naf_spheres

    created, updated = load_naf_spheres()
    stdout.write(f"  Sphères des divisions NAF : {created} créées, {updated} mises à jour.")


def register_all():
    indicators_accompaniment.register_all()
    indicators_accompaniment_v2.register_all()
    indicators_companies.register_all()
    indicators_events.register_all()
    indicators_clauses.register_all()
    indicators_referrals.register_all()
    indicators_opportunities.register_all()
    indicators_opportunities_v2.register_all()
    navigation.register(
        navigation.NavEntry(
            "Pilotage",
            "reporting:dashboard",
            perms.reads_indicators,
            order=80,
            prefix="/pilotage/",
        )
    )
    home.register(
        home.HomeCard(
            "Tableau de bord",
            "Les indicateurs de votre structure, par programme, territoire et période.",
            "Ouvrir le tableau de bord",
            "reporting:dashboard",
            perms.reads_indicators,
            order=80,
            figure=_accompanied_figure,
            describe=_describe_dashboard,
        )
    )
    home.register(
        home.HomeCard(
            "Objectifs des conventions",
            "Le réalisé de chaque objectif face à sa cible, la projection à la fin de la "
            "période et les retards.",
            "Voir les conventions",
            "reporting:conventions",
            perms.reads_indicators,
            order=81,
            figure=_conventions_figure,
        )
    )
    home.register(
        home.HomeCard(
            "Égalité des chances",
            "Les résultats des résidents des QPV comparés au reste du territoire, par genre, "
            "âge et trimestre.",
            "Voir l'écart QPV",
            "reporting:equality",
            perms.reads_indicators,
            order=82,
        )
    )
    reference_data.register(
        reference_data.Loader(
            "Sphères des divisions NAF (emplois non délocalisables)", _load_naf, order=90
        )
    )
    demo.register(demo.Seeder("Objectifs et conventions (démonstration)", _seed, order=90))
    facts.connect()
    # An anonymisation rewrites persons in bulk (no signal): their facts are derived again.
    people_retention.erasers.register(
        people_retention.Eraser("reporting.facts", erase=facts.refresh_persons)
    )
    merging.register(
        merging.MergeHook(
            AccompanimentFact, "person", after=lambda survivor: facts.refresh_persons([survivor.pk])
        )
    )
