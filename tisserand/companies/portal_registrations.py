"""The HR clubs', GPEC toolkit's and leader portal's contributions: the clubs in the
navigation, the portal's own entries, the company sections (clubs, GPEC summary, leader
accounts), the shared resources' documents, the leaders' landing page and the demo seeder."""

from django.urls import reverse

from tisserand.companies import portal, portal_perms
from tisserand.core import demo, home, navigation, records
from tisserand.core.documents import Attachable, attachables


def _seed(stdout):
    from tisserand.companies import portal_demo

    portal_demo.seed(stdout)


def _landing(user):
    """A user who acts for no structure but leads a company lands on the portal."""
    if portal.leader_accounts(user).exists():
        return reverse("companies:portal")
    return None


def register_all():
    navigation.register(
        navigation.NavEntry(
            "Clubs RH",
            "companies:clubs",
            portal_perms.sees_companies,
            order=46,
            prefix="/entreprises/clubs-rh/",
        )
    )
    portal.register(
        portal.PortalEntry(
            "needs",
            "Nos besoins",
            "companies:portal_needs",
            "Recrutement, RH, compétences, financement : dites-nous ce dont vous avez besoin.",
            order=10,
        )
    )
    portal.register(
        portal.PortalEntry(
            "gpec",
            "Outil GPEC",
            "companies:portal_gpec",
            "Postes, compétences, matrice, pyramide des âges et plan de formation.",
            order=20,
        )
    )
    portal.register(
        portal.PortalEntry(
            "clubs",
            "Clubs RH",
            "companies:portal_clubs",
            "Les séances des clubs dont vous êtes membre et leurs ressources.",
            order=30,
        )
    )
    attachables.register(
        Attachable(
            "companies.hrclubresource",
            record=portal_perms.resource_record,
            may_open=portal_perms.may_open_resource,
            logged=lambda record, resource: (
                resource,
                resource.club.structure,
                f"Club RH {resource.club} — {resource}",
            ),
        )
    )
    home.register_landing(home.Landing("companies-portal", _landing))
    _register_sections()
    demo.register(demo.Seeder("Clubs RH, GPEC et portail (démonstration)", _seed, order=46))


def _register_sections():
    from tisserand.companies import portal_sections

    for section in portal_sections.SECTIONS:
        records.register_section(section)
