"""What the opportunities app adds: navigation, home card, the offer record kind and its
sections, the person page's section, the consent scope of introductions, the companies hooks
(``propose_candidate``, ``open_offers_count``, ``need_introductions``), the leader portal's
entry, the merge hook and the demo seeder."""

from tisserand.companies import hooks as company_hooks
from tisserand.companies import portal
from tisserand.core import demo, home, navigation, records
from tisserand.opportunities import panels, perms, services
from tisserand.opportunities import retention as opportunities_retention
from tisserand.opportunities.models import Introduction, JobOffer
from tisserand.people import consent_scopes, merging


def _open_offers_count(establishment):
    return JobOffer.objects.searchable().filter(establishment=establishment).count()


def _need_introductions(need):
    return list(
        Introduction.objects.filter(need=need)
        .select_related("person", "proposed_by")
        .order_by("-created_at", "-id")
    )


def _open_offers_figure(membership):
    return JobOffer.objects.searchable().count(), "offres ouvertes"


def _offer_access(membership, offer):
    from tisserand.opportunities.views import offer_access

    return offer_access(membership, offer)


def register_all():
    opportunities_retention.register_all()
    consent_scopes.register(
        consent_scopes.Scope(
            perms.JOB_MATCHING_SCOPE,
            "Mises en relation avec des employeurs (profil proposé aux offres)",
            order=70,
        )
    )
    company_hooks.hooks.provide(company_hooks.PROPOSE_CANDIDATE, services.propose_candidate)
    company_hooks.hooks.provide(company_hooks.OPEN_OFFERS_COUNT, _open_offers_count)
    company_hooks.hooks.provide(company_hooks.NEED_INTRODUCTIONS, _need_introductions)
    navigation.register(
        navigation.NavEntry(
            "Offres", "opportunities:search", perms.sees_offers, order=40, prefix="/offres/"
        )
    )
    navigation.register(
        navigation.NavEntry(
            "Mises en relation",
            "opportunities:introductions",
            perms.follows_introductions,
            order=41,
            prefix="/mises-en-relation/",
        )
    )
    home.register(
        home.HomeCard(
            "Offres d'emploi",
            "Les offres du territoire (France Travail, partenaires, Maison de l'Emploi), les "
            "entreprises qui recrutent, et la mise en relation des personnes que vous suivez.",
            "Chercher des offres",
            "opportunities:search",
            perms.sees_offers,
            order=40,
            figure=_open_offers_figure,
        )
    )
    records.kinds.register(records.RecordKind("offer", _offer_access))
    records.register_section(
        records.Section(
            kind="offer",
            key="introductions",
            title="Mises en relation",
            template_name="opportunities/panel_offer_introductions.html",
            predicate=panels.offer_introductions_visible,
            context=panels.offer_introductions,
            order=20,
        )
    )
    records.register_section(
        records.Section(
            kind="person",
            key="introductions",
            title="Offres et mises en relation",
            template_name="opportunities/panel_person_introductions.html",
            predicate=panels.person_introductions_visible,
            context=panels.person_introductions,
            order=75,
        )
    )
    portal.register(
        portal.PortalEntry(
            "offers",
            "Mes offres d'emploi",
            "opportunities:portal_offers",
            "Publier une offre et suivre les candidatures proposées.",
            order=20,
        )
    )
    merging.register(merging.MergeHook(Introduction, "person"))
    # After the companies (40–46) and the accompaniments (50) it builds on.
    demo.register(demo.Seeder("Offres et mises en relation (démonstration)", _seed, order=70))


def _seed(stdout):
    from tisserand.opportunities.demo import seed

    seed(stdout)
