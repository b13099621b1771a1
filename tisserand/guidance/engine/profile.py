"""What the engine knows of a person: jobs held, skills, interests, constraints."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class HeldJob:
    """A job held (ROME code of its fiche), for how long, and whether it is the current one."""

    code: str
    label: str = ""
    years: float | None = None
    is_current: bool = False


@dataclass(frozen=True)
class Profile:
    held_jobs: tuple = ()
    # Skills the person (or their counsellor) ticked: the only ones called confirmed. The skills
    # of the jobs held that nobody ticked still bring the occupation close to those jobs, at a
    # lower weight, and are never presented as acquired.
    skills: frozenset = frozenset()
    # Interest centres chosen (« J'ai envie de… »), by code.
    interests: frozenset = frozenset()
    # RIASEC code, one or two letters ("" when unknown).
    riasec: str = ""
    # Qualification level of the 2019 national frame (1 to 8), if known.
    qualification_level: int | None = None
    # Work contexts the person cannot take (ROME code_ogr): physical limits, hours.
    excluded_contexts: frozenset = frozenset()
    # Labels of the excluded contexts for explanations ({code: French reason}).
    exclusion_reasons: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def held_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(job.code for job in self.held_jobs))

    def is_empty(self) -> bool:
        return not (self.held_jobs or self.skills or self.interests or self.riasec)
