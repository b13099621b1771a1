"""Demo data seeders. The structures app seeds the territory; later apps add their own demo
data (persons, companies…) by registering a seeder in ``AppConfig.ready()``.

``manage.py seed_demo`` runs them in order. Each seeder is idempotent and labels what it creates
as demo data.
"""

from dataclasses import dataclass

from tisserand.core.registry import Registry


@dataclass(frozen=True)
class Seeder:
    name: str
    # seed(stdout) -> None
    seed: object
    order: int = 100


# Keyed by name: registering a seeder with the same name replaces it.
registered = Registry("Données de démonstration")
register = registered.register


def seeders():
    return registered.items()
