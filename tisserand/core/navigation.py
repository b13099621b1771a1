"""The main navigation, by service. Each app registers its entries when it exists.

An entry shows only to the memberships its predicate accepts, so a role sees the services it
uses and nothing announced before it is built.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    predicate: object
    order: int = 100
    # URL prefix that marks the entry as the current section.
    prefix: str = ""

    def url(self):
        return reverse(self.url_name)


_entries = []


def register(entry):
    if entry not in _entries:
        _entries.append(entry)


def entries_for(membership):
    return [
        entry for entry in sorted(_entries, key=lambda e: e.order) if entry.predicate(membership)
    ]
