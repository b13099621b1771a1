"""What the people app adds to the navigation, the home page and the record pages."""

from tisserand.core import home, navigation, records
from tisserand.people import openings, perms


def register_all():
    records.kinds.register(records.RecordKind("person", access=perms.access_for))
    navigation.register(
        navigation.NavEntry(
            "Personnes", "people:list", perms.can_list_persons, order=25, prefix="/personnes/"
        )
    )
    home.register(
        home.HomeCard(
            "Personnes",
            "Retrouvez une personne suivie, ou créez sa fiche (les doublons sont signalés).",
            "Voir les personnes",
            "people:list",
            perms.can_list_persons,
            order=21,
        )
    )
    records.register_section(
        records.Section(
            kind="person",
            key="openings",
            title="Qui a ouvert ce dossier",
            template_name="people/panels/openings.html",
            predicate=openings.visible,
            context=openings.context,
            order=200,
        )
    )
