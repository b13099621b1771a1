"""What the companies app's record part adds to the record pages, the navigation, the home
page, the pickers and the demo data."""

from tisserand.companies import perms, sections
from tisserand.core import demo as core_demo
from tisserand.core import home, navigation, pickers, records

SECTIONS = (
    ("identity", "Identité et adresse", sections.identity, 10),
    ("activity", "Activité", sections.activity, 20),
    ("officer", "Chargé·e de relation", sections.officer, 30),
    ("contacts", "Contacts", sections.contacts, 40),
    ("tags", "Étiquettes", sections.tags, 50),
    ("establishments", "Établissements de la même entreprise", sections.establishments, 60),
)


def register_all():
    records.kinds.register(records.RecordKind("company", access=perms.access_for))
    for key, title, context, order in SECTIONS:
        records.register_section(
            records.Section(
                kind="company",
                key=key,
                title=title,
                template_name=f"companies/sections/{key}.html",
                predicate=sections.sees,
                context=context,
                order=order,
            )
        )
    navigation.register(
        navigation.NavEntry(
            "Entreprises", "companies:list", perms.can_list, order=40, prefix="/entreprises/"
        )
    )
    home.register(
        home.HomeCard(
            "Entreprises",
            "Les entreprises du territoire : une fiche par SIRET pour tout le réseau, leurs "
            "contacts, leur chargé·e de relation.",
            "Voir les entreprises",
            "companies:list",
            perms.can_list,
            order=40,
        )
    )
    home.register(
        home.HomeCard(
            "Entreprises du réseau",
            "Le nombre d'établissements suivis par le réseau (des comptes seulement).",
            "Voir les chiffres",
            "companies:counts",
            perms.counts_companies,
            order=40,
            figure=_count_figure,
        )
    )
    from tisserand.companies.pickers import establishment_picker

    pickers.register(establishment_picker)
    from tisserand.companies import demo

    core_demo.register(core_demo.Seeder("Entreprises (démonstration)", demo.seed, order=40))


def _count_figure(membership):
    from tisserand.companies.selectors import count_by_state

    counts = count_by_state()
    return counts["active"], "établissements en activité"
