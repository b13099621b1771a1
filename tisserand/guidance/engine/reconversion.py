"""Collective reconversion: from the jobs of a company's employees to an aggregated map of the
occupations they could move to, and the training needs it implies. Pure functions."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tisserand.guidance.engine.scoring import Suggestion

# A reconversion leaves the trade: at most this many paths stay in the held job's ROME domain
# (« B18 », textile), and no other domain takes more than this many.
SAME_DOMAIN_PATHS = 2
PATHS_PER_DOMAIN = 3


def domain(code: str) -> str:
    """The ROME professional domain of a fiche: its letter and first two digits (B18)."""
    return code[:3]


def across_domains(
    suggestions: Iterable["Suggestion"], held_codes: Iterable[str], count: int
) -> list["Suggestion"]:
    """The first ``count`` suggestions, best first, spread over professional domains."""
    own = {domain(code) for code in held_codes}
    chosen: list[Suggestion] = []
    per_domain: dict[str, int] = {}
    for suggestion in suggestions:
        key = domain(suggestion.code)
        limit = SAME_DOMAIN_PATHS if key in own else PATHS_PER_DOMAIN
        if per_domain.get(key, 0) >= limit:
            continue
        per_domain[key] = per_domain.get(key, 0) + 1
        chosen.append(suggestion)
        if len(chosen) == count:
            break
    return chosen


@dataclass
class JobPaths:
    """One job of the company: how many employees hold it, and its reconversion suggestions."""

    label: str
    code: str
    employees: int
    suggestions: list


@dataclass
class TargetSummary:
    code: str
    label: str
    employees: int = 0
    jobs: list = field(default_factory=list)
    best_score: float = 0.0
    is_official_mobility: bool = False
    demand_reason: str = ""

    @property
    def percent(self) -> int:
        return round(self.best_score * 100)


@dataclass
class SkillNeed:
    label: str
    employees: int = 0
    targets: list = field(default_factory=list)


def aggregate(
    job_paths: Iterable[JobPaths], targets_per_job: int = 5, skills_per_target: int = 6
) -> tuple[list[TargetSummary], list[SkillNeed]]:
    """(targets by number of employees concerned, skill needs by employees), both stable.

    Each job contributes its first ``targets_per_job`` suggestions; a target counts the
    employees of every job leading to it. A skill need counts the employees who would have to
    acquire it for the targets of their job.
    """
    targets: dict[str, TargetSummary] = {}
    needs: dict[str, SkillNeed] = {}
    for job in job_paths:
        for suggestion in job.suggestions[:targets_per_job]:
            target = targets.setdefault(
                suggestion.code, TargetSummary(suggestion.code, suggestion.label)
            )
            target.employees += job.employees
            target.jobs.append(job.label)
            target.best_score = max(target.best_score, suggestion.score)
            target.is_official_mobility |= suggestion.is_official_mobility
            target.demand_reason = target.demand_reason or suggestion.demand_reason
            for label in suggestion.skills_to_acquire[:skills_per_target]:
                need = needs.setdefault(label, SkillNeed(label))
                need.employees += job.employees
                if suggestion.label not in need.targets:
                    need.targets.append(suggestion.label)
    ordered_targets = sorted(targets.values(), key=lambda t: (-t.employees, -t.best_score, t.code))
    ordered_needs = sorted(needs.values(), key=lambda n: (-n.employees, n.label))
    return ordered_targets, ordered_needs
