"""The suggestions engine: pure Python (and numpy), no Django.

An adapter (``tisserand.guidance.loading``) loads the ROME referential and the labour-market
signals from the database into the plain structures of ``data``; ``Catalogue`` precomputes the
skill weights and arrays once; ``rank`` scores every occupation for a ``Profile``.
"""

from tisserand.guidance.engine.catalogue import Catalogue
from tisserand.guidance.engine.data import (
    DemandFacts,
    InterestCentre,
    Occupation,
    Skill,
    SkillKind,
)
from tisserand.guidance.engine.errors import EmptyProfileError, GuidanceError, UnknownCodeError
from tisserand.guidance.engine.profile import HeldJob, Profile
from tisserand.guidance.engine.scoring import (
    DEFAULT_WEIGHTS,
    Ranking,
    Suggestion,
    Weights,
    rank,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "Catalogue",
    "DemandFacts",
    "EmptyProfileError",
    "GuidanceError",
    "HeldJob",
    "InterestCentre",
    "Occupation",
    "Profile",
    "Ranking",
    "Skill",
    "SkillKind",
    "Suggestion",
    "UnknownCodeError",
    "Weights",
    "rank",
]
