"""French explanations of a suggestion: skills you have, skills to acquire, demand, mobility."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from tisserand.guidance.engine import riasec
from tisserand.guidance.engine.access import level_label
from tisserand.guidance.engine.data import DemandFacts, Occupation, Skill, SkillKind

if TYPE_CHECKING:
    import numpy as np

    from tisserand.guidance.engine.catalogue import Catalogue, DemandVector
    from tisserand.guidance.engine.profile import Profile

TENSION_WORDS = {1: "très faible", 2: "faible", 3: "moyenne", 4: "forte", 5: "très forte"}
SECTORS_SHOWN = 3
# A job held is quoted when the fiche shares at least this (weighted) share of its skills.
JOB_SHARE_SHOWN = 0.1
# Sector profiles this close (cosine) make « the same employers » worth saying.
EMPLOYERS_SHOWN = 0.3
NATURE_ORDER = {SkillKind.KNOW_HOW: 0, SkillKind.KNOWLEDGE: 1, SkillKind.SOFT_SKILL: 2}


# What explaining needs of ``scoring.Ranking`` and ``scoring.Suggestion``, which it cannot import:
# scoring imports this module, and the engine's modules import no cycle (import-linter).
class RankingView(Protocol):
    @property
    def catalogue(self) -> "Catalogue": ...
    @property
    def profile(self) -> "Profile": ...
    @property
    def components(self) -> "dict[str, np.ndarray]": ...
    @property
    def context(self) -> dict[str, Any]: ...


class ExplainedSuggestion(Protocol):
    coverage: float
    job_coverage: float
    skills_have: list[str]
    skills_from_jobs: list[str]
    skills_close: list[str]
    skills_to_acquire: list[str]
    requirements: list[tuple[str, bool]]
    jobs_reason: str
    mobility_from: list[str]
    mobility_reason: str
    employers_reason: str
    demand: object
    demand_reason: str
    interests_matched: list[str]
    interest_reason: str
    access_reason: str
    warnings: list[str]


def number(value: float) -> str:
    """French thousands separator: 12 345."""
    return f"{round(value):,}".replace(",", "\u202f")


def explain(suggestion: ExplainedSuggestion, ranking: RankingView, at: int) -> None:
    catalogue, profile = ranking.catalogue, ranking.profile
    occupation = catalogue.occupations[at]
    context = ranking.context
    suggestion.coverage = float(context["coverage"][at])
    suggestion.job_coverage = float(context["job_coverage"][at])
    gap = skill_gap(catalogue, occupation, profile.skills, context["presumed"])
    suggestion.skills_have = [skill.label for skill in gap.have]
    suggestion.skills_from_jobs = [skill.label for skill in gap.from_jobs]
    suggestion.skills_close = [skill.label for skill in gap.close]
    suggestion.skills_to_acquire = [skill.label for skill in gap.missing]
    suggestion.requirements = [(skill.label, stated) for skill, stated in gap.requirements]
    held_labels = {job.code: job.label for job in profile.held_jobs if job.label}
    suggestion.jobs_reason = _jobs_reason(suggestion, catalogue, profile, held_labels)
    _explain_mobility(suggestion, catalogue, context["mobility_paths"].get(at, []), held_labels)
    suggestion.employers_reason = _employers_reason(
        catalogue,
        ranking.components["employers"][at],
        context["employer_origin"][at],
        at,
        held_labels,
    )
    _explain_interests(suggestion, catalogue, profile, occupation, context, at)
    _explain_demand(suggestion, context["demand"], occupation.code)
    suggestion.access_reason = access_reason(occupation, profile.qualification_level)
    suggestion.warnings = [
        f"Attention : {profile.exclusion_reasons.get(code, 'contrainte')} "
        "(contraire à ce que vous avez indiqué)."
        for code in context["conflicts"].get(at, [])
    ]


@dataclass
class SkillGap:
    """A fiche's skills against a profile, each list most important first.

    ``have``: ticked by the person; ``from_jobs``: skills of a job held nobody ticked (to
    confirm, never presented as acquired); ``close``: the person has a skill of the same
    family; ``missing``: to acquire. ``requirements``: the diplomas, certificates and licences
    the fiche names, with whether the person said they hold each (ticked it).
    """

    have: list = field(default_factory=list)
    from_jobs: list = field(default_factory=list)
    close: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    requirements: list = field(default_factory=list)


def skill_gap(
    catalogue: "Catalogue",
    occupation: Occupation,
    skill_codes: Collection[int],
    presumed: Collection[int] = frozenset(),
) -> SkillGap:
    """The fiche's skills split as a ``SkillGap`` for the ticked ``skill_codes``."""
    person = catalogue.features_of_skills(skill_codes)
    weights = catalogue.fiche_features[catalogue.position[occupation.code]]
    gap = SkillGap()
    for code in occupation.skills:
        skill = catalogue.skills.get(code)
        if skill is None:
            continue
        if skill.is_certification:
            gap.requirements.append((skill, code in skill_codes))
        elif code in skill_codes:
            gap.have.append(skill)
        elif code in presumed:
            gap.from_jobs.append(skill)
        elif code in person or (skill.macro is not None and skill.macro in person):
            gap.close.append(skill)
        else:
            gap.missing.append(skill)

    def importance(skill: Skill) -> tuple[int, float, str]:
        return (
            NATURE_ORDER.get(skill.kind, 3),
            -weights.get(skill.code, 0.0),
            skill.label,
        )

    for name in ("have", "from_jobs", "close", "missing"):
        getattr(gap, name).sort(key=importance)
    gap.requirements.sort(key=lambda item: (not item[1], item[0].label))
    return gap


def _jobs_reason(
    suggestion: ExplainedSuggestion,
    catalogue: "Catalogue",
    profile: "Profile",
    held_labels: Mapping[str, str],
) -> str:
    """How close the fiche is to the jobs held, by the ROME skills they share."""
    if not profile.held_jobs or suggestion.job_coverage < JOB_SHARE_SHOWN:
        return ""
    labels = ", ".join(
        held_labels.get(code) or catalogue.occupation(code).label for code in profile.held_codes
    )
    sentence = (
        f"Partage {round(suggestion.job_coverage * 100)} % de ses compétences avec votre métier "
        f"({labels}) selon le répertoire des métiers"
    )
    if not profile.skills:
        return sentence + " ; cochez dans votre profil celles que vous maîtrisez."
    return sentence + "."


def _employers_reason(
    catalogue: "Catalogue",
    similarity: float,
    origin: int,
    at: int,
    held_labels: Mapping[str, str],
) -> str:
    """« Recruté par les mêmes employeurs que … : sectors », when the profiles are close."""
    if similarity < EMPLOYERS_SHOWN or origin < 0:
        return ""
    sectors = catalogue.shared_sectors(origin, at, SECTORS_SHOWN)
    if not sectors:
        return ""
    held = catalogue.occupations[origin]
    return (
        f"Recruté par les mêmes employeurs que votre métier "
        f"({held_labels.get(held.code) or held.label}) : {' ; '.join(sectors)}."
    )


def _explain_mobility(
    suggestion: ExplainedSuggestion,
    catalogue: "Catalogue",
    paths: list[tuple[str, str | None]],
    held_labels: Mapping[str, str],
) -> None:
    def label(code: str) -> str:
        return held_labels.get(code) or catalogue.occupation(code).label

    direct = [held for held, via in paths if via is None]
    if direct:
        labels = [label(code) for code in direct]
        suggestion.mobility_from = labels
        suggestion.mobility_reason = (
            "Mobilité professionnelle officielle (ROME) depuis votre métier : "
            + ", ".join(labels)
            + "."
        )
        return
    # No direct path left: every path goes through a step (``via`` is never None here); the
    # filter only tells mypy so.
    two_steps = [(held, via) for held, via in paths if via is not None]
    if two_steps:
        held, via = two_steps[0]
        suggestion.mobility_reason = (
            f"À deux étapes de votre métier ({label(held)}), "
            f"en passant par : {catalogue.occupation(via).label}."
        )


def _explain_interests(
    suggestion: ExplainedSuggestion,
    catalogue: "Catalogue",
    profile: "Profile",
    occupation: Occupation,
    context: Mapping[str, Any],
    at: int,
) -> None:
    matched = [
        catalogue.centres[code].label
        for code in sorted(set(profile.interests) & set(occupation.interests))
        if code in catalogue.centres
    ]
    suggestion.interests_matched = matched
    sentences: list[str] = []
    if matched:
        sentences.append("Correspond à vos envies : " + " ; ".join(matched) + ".")
    if profile.riasec and occupation.riasec and context["riasec_scores"][at] >= 0.6:
        sentences.append(
            f"Votre profil RIASEC ({profile.riasec}) est proche de celui du métier "
            f"({occupation.riasec} : {riasec.describe(occupation.riasec)})."
        )
    suggestion.interest_reason = " ".join(sentences)


def _explain_demand(
    suggestion: ExplainedSuggestion, demand: "DemandVector | None", code: str
) -> None:
    if demand is None:
        return
    facts = demand.facts.get(code)
    suggestion.demand = facts
    suggestion.demand_reason = demand_reason(facts, demand.area_label)


def demand_reason(facts: DemandFacts | None, area_label: str = "") -> str:
    if facts is None:
        return "Pas d'indicateur de recrutement connu pour ce métier sur le territoire."
    parts: list[str] = []
    if facts.tension is not None:
        where = (
            f"dans le bassin d'emploi {facts.area_label or area_label}"
            if facts.scope == "bassin"
            else f"en moyenne dans la région {facts.area_label}".rstrip()
        )
        sentence = f"Tension {TENSION_WORDS[facts.tension]} {where} (indice {facts.tension} sur 5)"
        if facts.job_offers and facts.job_seekers:
            sentence += (
                f" : {number(facts.job_offers)} offres pour {number(facts.job_seekers)} "
                "demandeurs d'emploi en moyenne"
            )
        parts.append(sentence + ".")
    elif facts.difficult_hirings_pct is not None:
        parts.append(
            f"Au niveau national, {round(facts.difficult_hirings_pct)} % des recrutements de "
            "ce métier sont jugés difficiles."
        )
    if facts.hirings:
        sentence = f"{number(facts.hirings)} embauches par an (France)"
        if facts.top_sectors:
            sectors = ", ".join(label for label, _ in facts.top_sectors[:SECTORS_SHOWN])
            sentence += f", surtout dans : {sectors}"
        parts.append(sentence + ".")
    return " ".join(parts) or (
        "Pas d'indicateur de recrutement connu pour ce métier sur le territoire."
    )


def access_reason(occupation: Occupation, level: int | None) -> str:
    required = occupation.access_level
    summary = occupation.access_summary
    if required is None:
        return f"Accès : {summary}" if summary else ""
    if level is None:
        return f"Accès : {summary}" if summary else f"Accès : {level_label(required)}."
    if required <= 2 or level >= required:
        return f"Accessible avec votre niveau de qualification. {summary}".strip()
    return (
        f"Demande en principe un niveau {level_label(required)} (votre niveau : {level}) : "
        "une formation qualifiante ou une validation des acquis (VAE) sera utile."
    )
