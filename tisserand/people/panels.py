"""Sections other apps add to the person page: ``register(PersonPanel(...))``.

A panel's ``context(request, person)`` must make a bounded number of queries (never one per
row): the person page's query count must not grow with the person's history.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonPanel:
    key: str
    title: str
    template_name: str
    context: Callable  # (request, person) -> dict
    predicate: Callable  # (membership, person) -> bool
    order: int = 100


_panels = {}


def register(panel):
    """Registers (or replaces, by key) a panel of the person page."""
    _panels[panel.key] = panel


def unregister(key):
    _panels.pop(key, None)


def registered():
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def panels_for(membership, person):
    """The panels this membership may see on this person's page, in order."""
    return [panel for panel in registered() if panel.predicate(membership, person)]
