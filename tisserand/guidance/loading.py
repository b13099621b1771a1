"""Loads the engine's plain data from the database, once per process and referential version.

The catalogue (every current ROME fiche with its skills, interests, mobilities, contexts and
access level) is built from a handful of queries and kept in memory; it is rebuilt when a newer
ROME import run exists. Demand facts are kept per bassin d'emploi, rebuilt when a newer labour
import run exists. Each check costs one small query.
"""

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Sum

from tisserand.core.errors import DomainError
from tisserand.guidance.engine import Catalogue, DemandFacts, InterestCentre, Occupation, Skill
from tisserand.guidance.engine.access import access_level, access_summary
from tisserand.referentials.geo.models import BassinEmploi, Commune
from tisserand.referentials.rome.models import (
    Appellation,
    BassinTension,
    FapTension,
    Fiche,
    FicheContext,
    FicheInterest,
    FicheSkill,
    Hiring,
    ImportRun,
    Mobility,
)
from tisserand.referentials.rome.models import (
    InterestCentre as InterestCentreModel,
)
from tisserand.referentials.rome.models import (
    Skill as SkillModel,
)

TOP_SECTORS = 3
LABOUR_KINDS = (ImportRun.Kind.TENSION, ImportRun.Kind.HIRINGS, ImportRun.Kind.FAP_TENSION)

_lock = threading.RLock()
_cache = {}


class ReferentialMissing(DomainError, LookupError):
    """The ROME referential is not imported: nothing to suggest."""

    def __init__(self):
        super().__init__(
            "Le référentiel des métiers (ROME) n'est pas encore chargé : les suggestions sont "
            "indisponibles."
        )


def _latest_runs(kinds):
    """A key that changes whenever one of these referentials is imported again."""
    runs = ImportRun.objects.filter(kind__in=kinds).order_by("kind", "-finished_at", "-pk")
    latest = {}
    for kind, public_id in runs.values_list("kind", "public_id"):
        latest.setdefault(kind, str(public_id))
    return tuple(sorted(latest.items()))


def _cached(name, key, build):
    cached = _cache.get(name)
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        cached = _cache.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
        value = build()
        _cache[name] = (key, value)
        return value


def invalidate():
    _cache.clear()


def current_catalogue():
    """The catalogue of the latest ROME import; raises ``ReferentialMissing`` without one."""
    key = _latest_runs([ImportRun.Kind.ROME])
    if not key:
        raise ReferentialMissing
    return _cached("catalogue", key, build_catalogue)


def build_catalogue():
    fiches = list(
        Fiche.objects.filter(is_obsolete=False).values_list(
            "pk", "code", "label", "riasec_major", "riasec_minor", "access", "is_regulated"
        )
    )
    skill_rows = list(
        SkillModel.objects.values_list("pk", "code_ogr", "label", "kind", "is_macro", "macro_id")
    )
    skill_code = {pk: code for pk, code, *_ in skill_rows}
    skills = [
        Skill(code, label, kind, is_macro, skill_code.get(macro_id))
        for _, code, label, kind, is_macro, macro_id in skill_rows
    ]
    fiche_code = {pk: code for pk, code, *_ in fiches}
    links = _grouped(FicheSkill.objects.order_by("fiche_id", "rubrique", "skill_id"), "skill_id")
    core_links = _grouped(
        FicheSkill.objects.filter(coeur_metier=FicheSkill.CoeurMetier.PRINCIPALE).order_by(
            "fiche_id", "skill_id"
        ),
        "skill_id",
    )
    mobilities = _grouped(Mobility.objects.order_by("source_id", "rank"), "target_id", "source_id")
    contexts = _grouped(FicheContext.objects.order_by("fiche_id"), "context__code_ogr")
    interests, main_interests = defaultdict(list), defaultdict(list)
    for fiche_id, centre, is_main in FicheInterest.objects.values_list(
        "fiche_id", "centre__code", "is_main"
    ).order_by("fiche_id", "centre__code"):
        interests[fiche_id].append(centre)
        if is_main:
            main_interests[fiche_id].append(centre)
    occupations = [
        Occupation(
            code=code,
            label=label,
            skills=tuple(skill_code[pk] for pk in links.get(pk, ())),
            core_skills=tuple(skill_code[pk] for pk in core_links.get(pk, ())),
            riasec=major + minor,
            interests=tuple(interests.get(pk, ())),
            main_interests=tuple(main_interests.get(pk, ())),
            mobilities=tuple(fiche_code[t] for t in mobilities.get(pk, ()) if t in fiche_code),
            contexts=tuple(contexts.get(pk, ())),
            access_level=access_level(access),
            access_summary=access_summary(access),
            is_regulated=bool(is_regulated),
        )
        for pk, code, label, major, minor, access, is_regulated in fiches
    ]
    centres = [
        InterestCentre(code, label)
        for code, label in InterestCentreModel.objects.filter(is_obsolete=False).values_list(
            "code", "label"
        )
    ]
    version = (
        ImportRun.objects.filter(kind=ImportRun.Kind.ROME)
        .order_by("-finished_at", "-pk")
        .values_list("version", flat=True)
        .first()
    )
    return Catalogue(occupations, skills, centres, version or "")


def _grouped(queryset, value, key="fiche_id"):
    grouped = defaultdict(list)
    for owner, item in queryset.values_list(key, value):
        grouped[owner].append(item)
    return grouped


# --- the territory and its labour market -------------------------------------------------


@dataclass(frozen=True)
class Area:
    """Where a person lives: commune, bassin d'emploi, centroid."""

    insee_code: str
    name: str
    bassin_code: str | None
    bassin_name: str
    latitude: float | None
    longitude: float | None

    @property
    def bassin_label(self):
        return self.bassin_name or (f"n° {self.bassin_code}" if self.bassin_code else "")


def area_of(insee_code):
    commune = (
        Commune.objects.select_related("bassin")
        .filter(insee_code=(insee_code or "").strip().upper())
        .first()
    )
    if commune is None:
        return None
    bassin = commune.bassin
    return Area(
        commune.insee_code,
        commune.name,
        bassin.code if bassin else None,
        bassin.name if bassin else "",
        commune.latitude,
        commune.longitude,
    )


def demand_for(bassin_code, bassin_name=""):
    """The ``DemandVector`` of a bassin (national facts only when None); None without data."""
    labour = _latest_runs(LABOUR_KINDS)
    if not labour:
        return None
    catalogue = current_catalogue()
    key = labour + _latest_runs([ImportRun.Kind.ROME])

    def build():
        national = _cached("demand:national", key, _national_facts)
        local = _tension_facts(bassin_code, bassin_name)
        facts = {
            code: DemandFacts(**{**national.get(code, {}), **local.get(code, {})})
            for code in set(national) | set(local)
        }
        return catalogue.demand_vector(facts, bassin_name)

    return _cached(f"demand:{bassin_code or ''}", key, build)


def _fiche_ids():
    return dict(Fiche.objects.filter(is_obsolete=False).values_list("pk", "code")), dict(
        Fiche.objects.filter(is_obsolete=False).values_list("code", "parent_code")
    )


def _own_or_parent(values_by_code, parents):
    """Each fiche's value, or its parent's: labour files use older ROME codes."""
    return {
        code: values_by_code.get(code, values_by_code.get(parent))
        for code, parent in parents.items()
        if code in values_by_code or parent in values_by_code
    }


def _national_facts():
    codes, parents = _fiche_ids()
    hirings = defaultdict(int)
    sectors = defaultdict(list)
    rows = (
        Hiring.objects.values("fiche_id", "naf__label")
        .annotate(total=Sum("count"))
        .order_by("fiche_id", "-total", "naf__label")
    )
    for row in rows:
        code = codes.get(row["fiche_id"])
        if code is None:
            continue
        hirings[code] += row["total"]
        if len(sectors[code]) < TOP_SECTORS:
            sectors[code].append((row["naf__label"], row["total"]))
    pct = {
        codes[row["fiche_id"]]: row["pct"]
        for row in FapTension.objects.values("fiche_id").annotate(pct=Avg("tension_pct"))
        if row["fiche_id"] in codes
    }
    facts = {}
    for code, count in _own_or_parent(dict(hirings), parents).items():
        facts.setdefault(code, {})["hirings"] = count
    for code, top in _own_or_parent(dict(sectors), parents).items():
        facts.setdefault(code, {})["top_sectors"] = tuple(top)
    for code, value in _own_or_parent(pct, parents).items():
        facts.setdefault(code, {})["difficult_hirings_pct"] = value
    return facts


def _tension_facts(bassin_code, bassin_name=""):
    """Tension in the bassin; else the mean of its region's bassins (latest year)."""
    if not bassin_code:
        return {}
    codes, parents = _fiche_ids()
    latest = BassinTension.objects.order_by("-year").values_list("year", flat=True).first()
    in_year = BassinTension.objects.filter(year=latest)
    local = {}
    for fiche_id, tension, offers, seekers, name in in_year.filter(
        bassin_code=bassin_code, tension__isnull=False
    ).values_list("fiche_id", "tension", "job_offers", "job_seekers", "bassin_name"):
        if fiche_id in codes:
            local[codes[fiche_id]] = {
                "tension": tension,
                "scope": "bassin",
                "area_label": bassin_name or name or _bassin_name(bassin_code),
                "job_offers": offers,
                "job_seekers": seekers,
            }
    region = (
        in_year.filter(bassin_code=bassin_code)
        .exclude(region_code="")
        .values_list("region_code", flat=True)
        .first()
    )
    regional = {}
    if region:
        rows = (
            in_year.filter(region_code=region, tension__isnull=False)
            .values("fiche_id")
            .annotate(mean=Avg("tension"))
        )
        for row in rows:
            if row["fiche_id"] in codes:
                regional[codes[row["fiche_id"]]] = {
                    "tension": max(1, min(5, round(row["mean"]))),
                    "scope": "région",
                    "area_label": "",
                }
    local = _own_or_parent(local, parents)
    regional = _own_or_parent(regional, parents)
    return {**regional, **local}


def _bassin_name(code):
    return BassinEmploi.objects.filter(code=code).values_list("name", flat=True).first() or ""


def appellation_index():
    """{code OGR: (label, ROME code)} of the job titles of current fiches."""
    key = _latest_runs([ImportRun.Kind.ROME])
    if not key:
        raise ReferentialMissing

    def build():
        rows = Appellation.objects.filter(fiche__is_obsolete=False).values_list(
            "code_ogr", "label", "fiche__code"
        )
        return {code: (label, fiche) for code, label, fiche in rows}

    return _cached("appellations", key, build)
