"""What the people app adds to the navigation and to the home page."""

from tisserand.core import home, navigation
from tisserand.people import perms


def register_all():
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
