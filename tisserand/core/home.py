"""Cards of the home page. Each app registers what it offers, for the roles that use it."""

from dataclasses import dataclass

from django.urls import reverse


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

    def render(self, membership):
        args = [membership.structure.public_id] if self.url_takes_structure else []
        figure = self.figure(membership) if self.figure else None
        return {
            "title": self.title,
            "text": self.text,
            "link_label": self.link_label,
            "url": reverse(self.url_name, args=args),
            "figure": figure,
        }


_cards = []


def register(card):
    if card not in _cards:
        _cards.append(card)


def cards_for(membership):
    if membership is None:
        return []
    ordered = sorted(_cards, key=lambda card: card.order)
    return [card.render(membership) for card in ordered if card.predicate(membership)]
