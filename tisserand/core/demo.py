"""Demo data seeders. The structures app seeds the territory; later apps add their own demo
data (persons, companies…) by registering a seeder in ``AppConfig.ready()``.

``manage.py seed_demo`` runs them in order. Each seeder is idempotent and labels what it creates
as demo data.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Seeder:
    name: str
    # seed(stdout) -> None
    seed: object
    order: int = 100


_seeders = []


def register(seeder):
    if all(existing.name != seeder.name for existing in _seeders):
        _seeders.append(seeder)


def seeders():
    return sorted(_seeders, key=lambda seeder: seeder.order)
