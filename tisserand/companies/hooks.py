"""What the services tell each other about a company, through the companies layer.

The services (events, opportunities, clauses…) sit above the companies app and never import
each other. When one needs what another knows about a company, this module declares a hook
(``tisserand.core.registry.Hooks``) and the app that knows provides it in its
``AppConfig.ready()``; each fallback is what holds when the providing app is absent.

- ``recruitment_need_opened(need, actor=)`` — a recruitment need (``need.is_recruitment``:
  its subject's kind is ``NeedKind.RECRUITMENT``) was just recorded, by an officer or by the
  leader in the portal (``need.from_leader``), after the commit. The opportunities app provides
  it to prepare an offer from the need (``need.description``, ``need.contact``,
  ``need.establishment``); without it, nothing else happens.
- ``recruitment_need_actions(need, membership)`` — the actions a higher app offers on a
  recruitment need's page, as a list of ``(label, url)`` (the opportunities app: « Créer
  l'offre d'emploi »); without it, none.
"""

from dataclasses import dataclass

from tisserand.core.registry import Hooks

hooks = Hooks("entreprises")

RECRUITMENT_NEED_OPENED = "recruitment_need_opened"
RECRUITMENT_NEED_ACTIONS = "recruitment_need_actions"

hooks.declare(RECRUITMENT_NEED_OPENED, lambda need, actor=None: None)
hooks.declare(RECRUITMENT_NEED_ACTIONS, lambda need, membership: [])

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
# --- Introductions (provided by opportunities) -------------------------------------------------
# ``propose_candidate(target, person, *, actor, consent_text, message="")``: puts ``person``
# forward for ``target`` — a recruitment ``Need`` or a job offer — through the opportunities
# app's introductions workflow (consent recorded, on the person's, the company's and the
# offer's timelines); returns the introduction. The clauses app proposes candidates for a
# clause job this way. Without opportunities, it refuses with a clear message.
# ``open_offers_count(establishment)``: how many open offers the establishment has (0 without).

from tisserand.core.errors import DomainError  # noqa: E402

PROPOSE_CANDIDATE = "propose_candidate"
OPEN_OFFERS_COUNT = "open_offers_count"


class IntroductionsUnavailable(DomainError):
    pass


def _no_introductions(target, person, *, actor, consent_text, message=""):
    raise IntroductionsUnavailable(
        "Les mises en relation ne sont pas disponibles : le module des offres n'est pas installé."
    )


hooks.declare(PROPOSE_CANDIDATE, _no_introductions)
hooks.declare(OPEN_OFFERS_COUNT, lambda establishment: 0)


def propose_candidate(target, person, *, actor, consent_text, message=""):
    return hooks.call(
        PROPOSE_CANDIDATE, target, person, actor=actor, consent_text=consent_text, message=message
    )


def open_offers_count(establishment):
    return hooks.call(OPEN_OFFERS_COUNT, establishment)


# ``need_introductions(need)``: the introductions proposed for a recruitment need, newest first
# (each with ``person``, ``status``, ``get_status_display()``, ``created_at``, ``public_id``);
# the clauses app lists those of a lot's clause job. Without opportunities, none.
NEED_INTRODUCTIONS = "need_introductions"

hooks.declare(NEED_INTRODUCTIONS, lambda need: [])


def need_introductions(need):
    return hooks.call(NEED_INTRODUCTIONS, need)
