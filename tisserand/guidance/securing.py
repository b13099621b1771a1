"""Sécurisation des parcours: reconversion paths of an employee, and the collective map of a
company in difficulty. Nothing here is stored."""

from dataclasses import dataclass, field

from tisserand.guidance import schemes, services
from tisserand.guidance.engine.reconversion import JobPaths, across_domains, aggregate
from tisserand.guidance.engine.scoring import RECONVERSION_WEIGHTS
from tisserand.guidance.profiles import JobEntry, ProfileData

PATHS_SHOWN = 10
# Suggestions explained before spreading them over domains.
CANDIDATE_PATHS = 60
TARGETS_PER_JOB = 5
TARGETS_WITH_TRAININGS = 5


@dataclass
class ReconversionMap:
    exploration: object
    paths: list  # [TargetDetail]
    schemes: list
    notice: str


def reconversion_map(data, count=PATHS_SHOWN):
    """Occupations in demand locally an employee could move to from their current job, across
    professional domains (a reconversion leaves the trade)."""
    exploration = services.explore(
        data, CANDIDATE_PATHS, weights=RECONVERSION_WEIGHTS, second_degree=True
    )
    exploration.suggestions = across_domains(
        exploration.suggestions, [code for _, code in exploration.held], count
    )
    paths = [
        services.target_detail(exploration, suggestion.code, trainings=2)
        for suggestion in exploration.suggestions
    ]
    years = data.jobs[0].years if data.jobs else None
    return ReconversionMap(
        exploration=exploration,
        paths=paths,
        schemes=schemes.schemes_for(schemes.INDIVIDUAL, years=years, level=data.level),
        notice=schemes.notice(),
    )


@dataclass
class CollectiveMap:
    jobs: list  # [JobPaths]
    targets: list  # [TargetSummary]
    needs: list  # [SkillNeed]
    trainings: dict = field(default_factory=dict)  # {code: TargetDetail}
    area: object = None
    employees: int = 0
    schemes: list = field(default_factory=list)
    notice: str = ""


def collective_map(rows, commune="", radius_km=None):
    """``rows``: [(appellation, employees)] of the company; ``commune``: its site."""
    jobs = []
    explorations = {}
    for appellation, employees in rows:
        code = appellation.fiche.code
        data = ProfileData(
            jobs=[JobEntry(appellation.code_ogr, None, True)],
            commune=commune,
            radius_km=radius_km,
        )
        exploration = services.explore(
            data, CANDIDATE_PATHS, weights=RECONVERSION_WEIGHTS, second_degree=True
        )
        exploration.suggestions = across_domains(exploration.suggestions, [code], TARGETS_PER_JOB)
        explorations[code] = exploration
        jobs.append(JobPaths(appellation.label, code, employees, exploration.suggestions))
    targets, needs = aggregate(jobs, TARGETS_PER_JOB)
    trainings = {}
    for target in targets[:TARGETS_WITH_TRAININGS]:
        origin = next(job for job in jobs if target.label in [s.label for s in job.suggestions])
        trainings[target.code] = services.target_detail(
            explorations[origin.code], target.code, trainings=3
        )
    first = next(iter(explorations.values()), None)
    return CollectiveMap(
        jobs=jobs,
        targets=targets,
        needs=needs[:15],
        trainings=trainings,
        area=first.area if first else None,
        employees=sum(employees for _, employees in rows),
        schemes=schemes.schemes_for(schemes.COLLECTIVE),
        notice=schemes.notice(),
    )
