"""What the relationship journal and the needs add to the socle: the reference data (the
catalogue of subjects), the navigation, the home card, the company record's sections, the
demo data."""

from tisserand.core import demo, home, navigation, records, reference_data


def register_all():
    from tisserand.companies import need_catalogue, needs_perms, relations_sections

    reference_data.register(
        reference_data.Loader("Sujets de besoin des entreprises", need_catalogue.load, order=80)
    )
    navigation.register(
        navigation.NavEntry(
            "Besoins des entreprises",
            "companies:needs_inbox",
            needs_perms.may_open_inbox,
            order=42,
            prefix="/entreprises/besoins/",
        )
    )
    home.register(
        home.HomeCard(
            "Besoins des entreprises",
            "Les besoins d'entreprises orientés vers votre structure : prise en charge, clôture.",
            "Ouvrir les besoins",
            "companies:needs_inbox",
            needs_perms.may_open_inbox,
            order=42,
            figure=relations_sections.waiting_figure,
        )
    )
    home.register(
        home.HomeCard(
            "Besoins des entreprises en chiffres",
            "Les besoins des entreprises par statut et la satisfaction des dirigeants, par "
            "structure (des comptes seulement).",
            "Voir les chiffres",
            "companies:needs_figures",
            needs_perms.reads_figures_only,
            order=43,
        )
    )
    home.register(
        home.HomeCard(
            "Sujets des besoins d'entreprise",
            "Le catalogue des sujets proposés quand un besoin d'entreprise est enregistré.",
            "Paramétrer les sujets",
            "companies:settings_subjects",
            needs_perms.may_edit_catalogue,
            order=96,
        )
    )
    records.register_section(
        records.Section(
            kind="company",
            key="journal",
            title="Journal de la relation",
            template_name="companies/journal/section.html",
            predicate=relations_sections.journal_visible,
            context=relations_sections.journal_context,
            order=30,
        )
    )
    records.register_section(
        records.Section(
            kind="company",
            key="needs",
            title="Besoins",
            template_name="companies/needs/section.html",
            predicate=relations_sections.needs_visible,
            context=relations_sections.needs_context,
            order=40,
        )
    )
    # After the demo companies (40).
    demo.register(
        demo.Seeder("Journal et besoins des entreprises (démonstration)", _seed, order=45)
    )


def _seed(stdout):
    from tisserand.companies.relations_demo import seed

    seed(stdout)
