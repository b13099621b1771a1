"""The main navigation, by service. Each app registers its entries when it exists.

An entry shows only to the memberships its predicate accepts, so a role sees the services it
uses and nothing announced before it is built.
"""

from dataclasses import dataclass

from django.urls import reverse

from tisserand.core.registry import Registry


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


# One entry per page: registering an entry for the same URL name replaces it.
entries = Registry("Navigation", key_of=lambda entry: entry.url_name)
register = entries.register


def entries_for(membership):
    return entries.where(lambda entry: entry.predicate(membership))
