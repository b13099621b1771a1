"""Cards of the home page. Each app registers what it offers, for the roles that use it."""

from dataclasses import dataclass

from django.urls import reverse

from tisserand.core.registry import Registry


@dataclass(frozen=True)
class HomeCard:
    title: str
    text: str
    link_label: str
    url_name: str
    predicate: object
    order: int = 100
    # Optional callable (membership) -> (number, label) shown as a key figure.
    figure: object = None
    # Whether the URL takes the current structure's public id.
    url_takes_structure: bool = False
    # Optional callable (membership) -> the text, when it depends on whom the figure counts.
    describe: object = None

    def render(self, membership):
        args = [membership.structure.public_id] if self.url_takes_structure else []
        figure = self.figure(membership) if self.figure else None
        return {
            "title": self.title,
            "text": self.describe(membership) if self.describe else self.text,
            "link_label": self.link_label,
            "url": reverse(self.url_name, args=args),
            "figure": figure,
        }


# Keyed by title: registering a card with the same title replaces it.
cards = Registry("Cartes de l'accueil", key_of=lambda card: card.title)
register = cards.register


def cards_for(membership):
    if membership is None:
        return []
    return [card.render(membership) for card in cards.where(lambda c: c.predicate(membership))]


@dataclass(frozen=True)
class Landing:
    """Where a user who acts for no structure lands instead of the home page (a company
    leader: the portal). ``url_for(user)`` gives the URL, or None when it does not apply."""

    key: str
    url_for: object
    order: int = 100


landings = Registry("Pages d'arrivée")
register_landing = landings.register


def landing_for(user):
    for landing in landings.items():
        url = landing.url_for(user)
        if url:
            return url
    return None
