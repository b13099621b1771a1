"""A guidance profile as plain codes: what the forms produce, the public page carries in a
signed token, the counsellor mode stores, and the engine ranks (``to_engine``)."""

from dataclasses import asdict, dataclass, field

from django.core import signing

from tisserand.guidance import constraints
from tisserand.guidance.engine import HeldJob as EngineHeldJob
from tisserand.guidance.engine import Profile
from tisserand.guidance.engine.errors import GuidanceError, UnknownCodeError
from tisserand.guidance.models import MAX_RADIUS_KM, MIN_RADIUS_KM, WorkingTime

TOKEN_SALT = "tisserand.guidance.profile"
MAX_JOBS = 3
LEVEL_PREFIX = "level_"


@dataclass
class JobEntry:
    appellation: int
    years: float | None = None
    is_current: bool = False


@dataclass
class ProfileData:
    jobs: list = field(default_factory=list)
    skills: list = field(default_factory=list)
    interests: list = field(default_factory=list)
    riasec_code: str = ""
    riasec_answers: dict = field(default_factory=dict)
    commune: str = ""
    radius_km: int | None = None
    working_time: str = WorkingTime.ANY
    excluded_hours: list = field(default_factory=list)
    physical_limits: list = field(default_factory=list)
    qualification_level: str = ""

    # --- the public page's token ----------------------------------------------------------

    def to_token(self):
        return signing.dumps(self._compact(), salt=TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, token):
        """The profile in a token; raises GuidanceError when it was altered or is malformed."""
        try:
            data = signing.loads(token, salt=TOKEN_SALT)
            return cls._from_compact(data)
        except (signing.BadSignature, TypeError, ValueError, KeyError, AttributeError) as error:
            raise GuidanceError(
                "Le lien de votre profil est incomplet ou a été modifié : recommencez la saisie."
            ) from error

    def _compact(self):
        return {
            "j": [[job.appellation, job.years, int(job.is_current)] for job in self.jobs],
            "s": sorted(self.skills),
            "i": sorted(self.interests),
            "r": self.riasec_code,
            "a": self.riasec_answers,
            "c": self.commune,
            "k": self.radius_km,
            "t": self.working_time,
            "h": self.excluded_hours,
            "l": self.physical_limits,
            "n": self.qualification_level,
        }

    @classmethod
    def _from_compact(cls, data):
        return cls(
            jobs=[JobEntry(int(a), _float(y), bool(c)) for a, y, c in data["j"]][:MAX_JOBS],
            skills=[int(code) for code in data["s"]],
            interests=[int(code) for code in data["i"]],
            riasec_code=str(data["r"]),
            riasec_answers={str(k): int(v) for k, v in dict(data["a"]).items()},
            commune=str(data["c"] or ""),
            radius_km=None if data["k"] is None else int(data["k"]),
            working_time=str(data["t"]),
            excluded_hours=[str(code) for code in data["h"]],
            physical_limits=[str(code) for code in data["l"]],
            qualification_level=str(data["n"] or ""),
        )

    def is_empty(self):
        return not (self.jobs or self.skills or self.interests or self.riasec_code)

    def as_dict(self):
        return asdict(self)

    # --- for the engine --------------------------------------------------------------------

    @property
    def level(self):
        """The qualification level as a number (1–8), or None."""
        digits = self.qualification_level.removeprefix(LEVEL_PREFIX)
        if digits != self.qualification_level and digits.isdigit() and 1 <= int(digits) <= 8:
            return int(digits)
        return None

    def check(self):
        """French errors for what no form should let through (a tampered query string)."""
        if self.radius_km is not None and not MIN_RADIUS_KM <= self.radius_km <= MAX_RADIUS_KM:
            raise GuidanceError(
                f"Le rayon de mobilité doit être compris entre {MIN_RADIUS_KM} et "
                f"{MAX_RADIUS_KM} km."
            )
        if self.working_time not in WorkingTime.values:
            raise GuidanceError("Temps de travail inconnu.")
        if self.qualification_level and self.level is None:
            raise GuidanceError(f"Niveau de qualification inconnu : {self.qualification_level}.")
        unknown = [c for c in self.physical_limits if c not in constraints.PHYSICAL_LIMITS] + [
            c for c in self.excluded_hours if c not in constraints.EXCLUDED_HOURS
        ]
        if unknown:
            raise UnknownCodeError("contrainte", unknown)

    def to_engine(self, appellations):
        """The engine's ``Profile``; ``appellations`` maps code OGR → (label, ROME code)."""
        self.check()
        unknown = [job.appellation for job in self.jobs if job.appellation not in appellations]
        if unknown:
            raise UnknownCodeError("métier", unknown)
        contexts, reasons = constraints.excluded_contexts(self.physical_limits, self.excluded_hours)
        return Profile(
            held_jobs=tuple(
                EngineHeldJob(
                    appellations[job.appellation][1],
                    appellations[job.appellation][0],
                    job.years,
                    job.is_current,
                )
                for job in self.jobs
            ),
            skills=frozenset(self.skills),
            interests=frozenset(self.interests),
            riasec=self.riasec_code,
            qualification_level=self.level,
            excluded_contexts=contexts,
            exclusion_reasons=reasons,
        )


def _float(value):
    return None if value is None else float(value)
