"""What the GPEC toolkit reads from a company's data: gaps per position and per person,
departures ahead (retirement age, fixed-term ends), the age pyramid, the 3-year anticipation
(which positions lose whom, when, and which internal people are closest by skills) and a
training plan from the gaps and the LHÉO offers nearby.

``load(establishment)`` reads everything in a fixed number of queries; the computations are
plain Python on what it read. A skill an employee was not rated on is « non évalué »: it is
never counted as held, nor as a gap (it is to be rated).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from tisserand.companies.models import (
    DEFAULT_RETIREMENT_AGE,
    GpecEmployee,
    GpecLevel,
    GpecPosition,
    GpecPositionSkill,
    GpecSkill,
    GpecToolkit,
)

HORIZON_YEARS = 3
AGE_BANDS = ((None, 24), (25, 34), (35, 44), (45, 54), (55, 59), (60, None))
CLOSEST = 3
TRAINING_RADIUS_KM = 30
TRAININGS_PER_LINE = 3


def band_label(low, high):
    if low is None:
        return f"moins de {high + 1} ans"
    if high is None:
        return f"{low} ans et plus"
    return f"{low} à {high} ans"


@dataclass
class Data:
    establishment: object
    retirement_age: int
    positions: list
    employees: list
    skills: dict
    # {(employee pk, skill pk): level}
    levels: dict
    today: date
    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def level(self, employee, skill_id):
        return self.levels.get((employee.pk, skill_id))


def load(establishment, today=None):
    """Everything the toolkit computes on, in a fixed number of queries."""
    toolkit = GpecToolkit.objects.filter(establishment=establishment).first()
    positions = list(
        GpecPosition.objects.filter(establishment=establishment)
        .select_related("appellation__fiche")
        .prefetch_related(
            Prefetch(
                "skills",
                queryset=GpecPositionSkill.objects.select_related("skill").order_by(
                    "-is_core", "order", "skill__label"
                ),
            )
        )
        .order_by("title")
    )
    employees = list(
        GpecEmployee.objects.filter(establishment=establishment).order_by("alias", "pk")
    )
    # Each employee's position is the one loaded above, with its skills prefetched.
    by_pk = {position.pk: position for position in positions}
    for employee in employees:
        employee.position = by_pk.get(employee.position_id)
    skills = {
        skill.pk: skill
        for skill in GpecSkill.objects.filter(establishment=establishment).order_by("label")
    }
    levels = {
        (employee_id, skill_id): level
        for employee_id, skill_id, level in GpecLevel.objects.filter(
            employee__establishment=establishment
        ).values_list("employee_id", "skill_id", "level")
    }
    return Data(
        establishment=establishment,
        retirement_age=toolkit.retirement_age if toolkit else DEFAULT_RETIREMENT_AGE,
        positions=positions,
        employees=employees,
        skills=skills,
        levels=levels,
        today=today or timezone.localdate(),
    )


# --- Gaps ------------------------------------------------------------------------------------


@dataclass
class SkillGap:
    skill: object
    required: int
    # None: not rated.
    level: int | None
    is_core: bool

    @property
    def rated(self):
        return self.level is not None

    @property
    def gap(self):
        return max(0, self.required - self.level) if self.level is not None else None


@dataclass
class PersonGaps:
    employee: object
    lines: list

    @property
    def gaps(self):
        return [line for line in self.lines if line.gap]

    @property
    def unrated(self):
        return [line for line in self.lines if not line.rated]

    @property
    def total_gap(self):
        return sum(line.gap or 0 for line in self.lines)


def person_gaps(data, employee):
    position = employee.position
    if position is None:
        return PersonGaps(employee, [])
    return PersonGaps(
        employee,
        [
            SkillGap(
                link.skill, link.required_level, data.level(employee, link.skill_id), link.is_core
            )
            for link in position.skills.all()
        ],
    )


@dataclass
class PositionSkillGap:
    skill: object
    required: int
    is_core: bool
    holders: int  # employees of the position rated at or above the required level
    below: int  # rated below it
    unrated: int
    # Anyone in the company rated at or above the required level.
    company_holders: int


@dataclass
class PositionGaps:
    position: object
    employees: list
    lines: list

    @property
    def uncovered(self):
        """Skills nobody in the company is rated at the required level for."""
        return [line for line in self.lines if line.company_holders == 0]


def position_gaps(data, position):
    employees = [e for e in data.employees if e.position_id == position.pk]
    lines = []
    for link in position.skills.all():
        rated = [data.level(e, link.skill_id) for e in employees]
        company = [data.level(e, link.skill_id) for e in data.employees]
        lines.append(
            PositionSkillGap(
                skill=link.skill,
                required=link.required_level,
                is_core=link.is_core,
                holders=sum(1 for lv in rated if lv is not None and lv >= link.required_level),
                below=sum(1 for lv in rated if lv is not None and lv < link.required_level),
                unrated=sum(1 for lv in rated if lv is None),
                company_holders=sum(
                    1 for lv in company if lv is not None and lv >= link.required_level
                ),
            )
        )
    return PositionGaps(position, employees, lines)


# --- Departures, pyramid, anticipation ---------------------------------------------------------


@dataclass
class Departure:
    employee: object
    year: int
    reason: str  # « retraite » or « fin de CDD »
    when: date | None = None

    @property
    def label(self):
        if self.when is not None:
            return f"{self.reason} le {self.when:%d/%m/%Y}"
        return f"{self.reason} en {self.year}"


def departure_of(data, employee):
    """The employee's departure within the horizon, or None: the earlier of the end of a
    fixed-term contract and the year they reach the retirement age (already reached: now)."""
    last_year = data.today.year + HORIZON_YEARS
    found = []
    if employee.is_fixed_term and employee.contract_end is not None:
        end = employee.contract_end
        if end >= data.today and end.year <= last_year:
            found.append(Departure(employee, end.year, "fin de CDD", end))
    retirement_year = max(employee.birth_year + data.retirement_age, data.today.year)
    if retirement_year <= last_year:
        found.append(Departure(employee, retirement_year, "retraite"))
    return min(found, key=lambda d: (d.year, d.when or date(d.year, 12, 31)), default=None)


def departures(data):
    def compute():
        found = [d for e in data.employees if (d := departure_of(data, e)) is not None]
        return sorted(found, key=lambda d: (d.year, d.employee.alias))

    return list(data.memo("departures", compute))


def age(data, employee):
    return data.today.year - employee.birth_year


@dataclass
class Band:
    label: str
    staying: int
    leaving: int

    @property
    def total(self):
        return self.staying + self.leaving


def pyramid(data):
    """Headcount per age band, split between those staying and those leaving within 3 years."""
    leaving = {d.employee.pk for d in departures(data)}
    bands = []
    for low, high in AGE_BANDS:
        inside = [
            e
            for e in data.employees
            if (low is None or age(data, e) >= low) and (high is None or age(data, e) <= high)
        ]
        out = sum(1 for e in inside if e.pk in leaving)
        bands.append(Band(band_label(low, high), len(inside) - out, out))
    return bands


@dataclass
class Candidate:
    employee: object
    # Share of the position's required levels the employee's rated levels cover (0–100).
    coverage: int
    rated: int
    unrated: int


def closest(data, position, excluded):
    """The internal people closest by skills to ``position`` (its own holders and ``excluded``
    left out), best first. Unrated skills count as not held."""
    links = list(position.skills.all())
    needed = sum(link.required_level for link in links)
    if not links or not needed:
        return []
    candidates = []
    for employee in data.employees:
        if employee.pk in excluded or employee.position_id == position.pk:
            continue
        levels = [data.level(employee, link.skill_id) for link in links]
        covered = sum(
            min(level, link.required_level)
            for level, link in zip(levels, links, strict=True)
            if level is not None
        )
        rated = sum(1 for level in levels if level is not None)
        if rated:
            candidates.append(
                Candidate(employee, round(100 * covered / needed), rated, len(links) - rated)
            )
    candidates.sort(key=lambda c: (-c.coverage, c.unrated, c.employee.alias))
    return candidates[:CLOSEST]


@dataclass
class Anticipation:
    position: object
    departures: list
    candidates: list = field(default_factory=list)


def anticipation(data):
    """Per position losing someone within 3 years: who, when, and the closest internal people
    (those leaving too are left out)."""
    leaving = departures(data)
    leaving_ids = {d.employee.pk for d in leaving}
    rows = []
    for position in data.positions:
        lost = [d for d in leaving if d.employee.position_id == position.pk]
        if lost:
            rows.append(Anticipation(position, lost, closest(data, position, leaving_ids)))
    return rows


# --- Training plan -----------------------------------------------------------------------------


@dataclass
class TrainingLine:
    position: object
    skills: list  # skill labels with a rated gap
    employees: list  # employees with a rated gap on this position's skills
    trainings: list  # TrainingMatch of the fiche nearby
    # Whether the trainings were searched around the company (its commune is known).
    near: bool = True


def training_plan(data, search=None):
    """For each position where someone rated is below the required level: the skills, the
    people, and LHÉO trainings of the position's fiche near the company (nearest first).
    Only rated gaps: a skill nobody rated is proposed for rating, never for training."""
    if search is None:
        from tisserand.referentials.trainings.services import search_trainings as search
    commune = getattr(data.establishment, "commune", None)
    lines = []
    for position in data.positions:
        people, skills = [], []
        for employee in data.employees:
            if employee.position_id != position.pk:
                continue
            gaps = person_gaps(data, employee).gaps
            if gaps:
                people.append(employee)
                skills.extend(line.skill.label for line in gaps if line.skill.label not in skills)
        if not people:
            continue
        code = position.appellation.fiche.code
        if commune is not None:
            found = search(
                rome_codes=[code], commune_insee=commune.insee_code, radius_km=TRAINING_RADIUS_KM
            )
        else:
            found = search(rome_codes=[code])
        lines.append(
            TrainingLine(
                position, skills, people, list(found[:TRAININGS_PER_LINE]), near=commune is not None
            )
        )
    return lines


# --- Summary -----------------------------------------------------------------------------------


@dataclass
class Summary:
    positions: int
    employees: int
    rated_cells: int
    leaving: int
    gaps: int


def summary(data):
    return Summary(
        positions=len(data.positions),
        employees=len(data.employees),
        rated_cells=len(data.levels),
        leaving=len(departures(data)),
        gaps=sum(1 for e in data.employees for line in person_gaps(data, e).lines if line.gap),
    )
