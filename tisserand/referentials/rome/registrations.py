"""What the Métiers app adds to the navigation, the home page, the pickers and the loaders."""

from tisserand.core import home, navigation, pickers, reference_data
from tisserand.referentials.rome import perms
from tisserand.referentials.rome.loader import LOADER
from tisserand.referentials.rome.pickers import ALL as ALL_PICKERS


def register_all():
    navigation.register(
        navigation.NavEntry(
            "Métiers", "rome:search", perms.can_read_occupations, order=35, prefix="/metiers/"
        )
    )
    home.register(
        home.HomeCard(
            "Métiers",
            "Chercher un métier : compétences, mobilités, secteurs qui recrutent et tension "
            "dans votre bassin d'emploi (ROME 4.0).",
            "Chercher un métier",
            "rome:search",
            perms.can_read_occupations,
            order=35,
        )
    )
    for picker in ALL_PICKERS:
        pickers.register(picker)
    reference_data.register(LOADER)
