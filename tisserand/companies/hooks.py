"""What the services tell each other about a company, through the companies layer.

The services (events, opportunities, clauses…) sit above the companies app and never import
each other. When one needs what another knows about a company, this module declares a hook
(``tisserand.core.registry.Hooks``) and the app that knows provides it in its
``AppConfig.ready()``; each fallback is what holds when the providing app is absent.
"""

from dataclasses import dataclass

from tisserand.core.registry import Hooks

hooks = Hooks("entreprises")


# --- HR clubs (companies-portal) ---------------------------------------------------------------
# club_meetings(clubs) -> {club pk: [ClubMeeting]}: the meetings of these clubs the events app
# holds (events linked to a club). Without it, the clubs' own dated sessions are all there is.
CLUB_MEETINGS = "club_meetings"


@dataclass(frozen=True)
class ClubMeeting:
    date: object
    title: str
    url: str
    place: str = ""


hooks.declare(CLUB_MEETINGS, lambda clubs: {})
