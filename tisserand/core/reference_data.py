"""Loaders of the reference data the project ships (data/), run by ``load_reference_data``.

Each referential app registers a loader in its ``AppConfig.ready``; ``make run`` calls them all
in order. A loader is idempotent: when its data is already there it does nothing, quickly.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Loader:
    name: str
    # load(stdout) -> None; writes one line of what it did.
    load: object
    order: int = 100


_loaders = []


def register(loader):
    if all(existing.name != loader.name for existing in _loaders):
        _loaders.append(loader)


def loaders():
    return sorted(_loaders, key=lambda loader: loader.order)
