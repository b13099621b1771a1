"""Loaders of the reference data the project ships (data/), run by ``load_reference_data``.

Each referential app registers a loader in its ``AppConfig.ready``; ``make run`` calls them all
in order. A loader is idempotent: when its data is already there it does nothing, quickly.
"""

from dataclasses import dataclass

from tisserand.core.registry import Registry


@dataclass(frozen=True)
class Loader:
    name: str
    # load(stdout) -> None; writes one line of what it did.
    load: object
    order: int = 100


# Keyed by name: registering a loader with the same name replaces it.
registered = Registry("Données de référence")
register = registered.register


def loaders():
    return registered.items()
