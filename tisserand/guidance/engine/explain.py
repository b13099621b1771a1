"""French explanations of a suggestion: skills you have, skills to acquire, demand, mobility."""

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from tisserand.guidance.engine import riasec
from tisserand.guidance.engine.access import level_label
from tisserand.guidance.engine.data import DemandFacts, Occupation, Skill, SkillKind

if TYPE_CHECKING:  # scoring imports this module
    from tisserand.guidance.engine.catalogue import Catalogue, DemandVector
    from tisserand.guidance.engine.profile import Profile
    from tisserand.guidance.engine.scoring import Ranking, Suggestion

TENSION_WORDS = {1: "très faible", 2: "faible", 3: "moyenne", 4: "forte", 5: "très forte"}
SECTORS_SHOWN = 3
NATURE_ORDER = {SkillKind.KNOW_HOW: 0, SkillKind.KNOWLEDGE: 1, SkillKind.SOFT_SKILL: 2}


def number(value: float) -> str:
    """French thousands separator: 12 345."""
    return f"{round(value):,}".replace(",", "\u202f")


def explain(suggestion: "Suggestion", ranking: "Ranking", at: int) -> None:
    catalogue, profile = ranking.catalogue, ranking.profile
    occupation = catalogue.occupations[at]
    context = ranking.context
    suggestion.coverage = float(context["coverage"][at])
    have, close, missing = skill_gap(catalogue, occupation, profile.skills)
    suggestion.skills_have = [skill.label for skill in have]
    suggestion.skills_close = [skill.label for skill in close]
    suggestion.skills_to_acquire = [skill.label for skill in missing]
    held_labels = {job.code: job.label for job in profile.held_jobs if job.label}
    _explain_mobility(suggestion, catalogue, context["mobility_paths"].get(at, []), held_labels)
    _explain_interests(suggestion, catalogue, profile, occupation, context, at)
    _explain_demand(suggestion, context["demand"], occupation.code)
    suggestion.access_reason = access_reason(occupation, profile.qualification_level)
    suggestion.warnings = [
        f"Attention : {profile.exclusion_reasons.get(code, 'contrainte')} "
        "(contraire à ce que vous avez indiqué)."
        for code in context["conflicts"].get(at, [])
    ]


def skill_gap(
    catalogue: "Catalogue", occupation: Occupation, skill_codes: Collection[int]
) -> tuple[list[Skill], list[Skill], list[Skill]]:
    """The fiche's skills split into (have, close, to acquire), each most important first.

    « Close »: the person has another skill of the same family (macro-skill).
    """
    person = catalogue.features_of_skills(skill_codes)
    weights = catalogue.fiche_features[catalogue.position[occupation.code]]
    have: list[Skill] = []
    close: list[Skill] = []
    missing: list[Skill] = []
    for code in occupation.skills:
        skill = catalogue.skills.get(code)
        if skill is None:
            continue
        if code in skill_codes:
            have.append(skill)
        elif code in person or (skill.macro is not None and skill.macro in person):
            close.append(skill)
        else:
            missing.append(skill)

    def importance(skill: Skill) -> tuple[int, float, str]:
        return (
            NATURE_ORDER.get(skill.kind, 3),
            -weights.get(skill.code, 0.0),
            skill.label,
        )

    return (
        sorted(have, key=importance),
        sorted(close, key=importance),
        sorted(missing, key=importance),
    )


def _explain_mobility(
    suggestion: "Suggestion",
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
    two_steps = [(held, via) for held, via in paths if via is not None]
    if two_steps:
        held, via = two_steps[0]
        suggestion.mobility_reason = (
            f"À deux étapes de votre métier ({label(held)}), "
            f"en passant par : {catalogue.occupation(via).label}."
        )


def _explain_interests(
    suggestion: "Suggestion",
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
    sentences = []
    if matched:
        sentences.append("Correspond à vos envies : " + " ; ".join(matched) + ".")
    if profile.riasec and occupation.riasec and context["riasec_scores"][at] >= 0.6:
        sentences.append(
            f"Votre profil RIASEC ({profile.riasec}) est proche de celui du métier "
            f"({occupation.riasec} : {riasec.describe(occupation.riasec)})."
        )
    suggestion.interest_reason = " ".join(sentences)


def _explain_demand(suggestion: "Suggestion", demand: "DemandVector | None", code: str) -> None:
    if demand is None:
        return
    facts = demand.facts.get(code)
    suggestion.demand = facts
    suggestion.demand_reason = demand_reason(facts, demand.area_label)


def demand_reason(facts: DemandFacts | None, area_label: str = "") -> str:
    if facts is None:
        return "Pas d'indicateur de recrutement connu pour ce métier sur le territoire."
    parts = []
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
