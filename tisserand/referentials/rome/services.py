"""What the Métiers pages show: a fiche with everything around it, in a fixed number of queries."""

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from tisserand.referentials.geo.cog import REGION_NAMES
from tisserand.referentials.geo.services import bassin_code_for_commune
from tisserand.referentials.rome.models import (
    Appellation,
    BassinTension,
    FapTension,
    Fiche,
    FicheContext,
    FicheInterest,
    FicheSkill,
    Hiring,
    Mobility,
)

DEFAULT_REGION_CODE = "32"  # Hauts-de-France: the territory of the Maison de l'Emploi
TOP_SECTORS = 10

RIASEC_NAMES = {
    "R": ("Réaliste", "concret, manuel, technique"),
    "I": ("Investigateur", "curieux, analytique, scientifique"),
    "A": ("Artistique", "créatif, expressif, original"),
    "S": ("Social", "à l'écoute, aide, enseigne, soigne"),
    "E": ("Entreprenant", "convainc, décide, dirige"),
    "C": ("Conventionnel", "organisé, rigoureux, méthodique"),
}


def user_bassin_code(membership: Any) -> str | None:
    """The bassin d'emploi of the structure the user acts for, when known."""
    if membership is None or not membership.structure.commune_insee:
        return None
    return bassin_code_for_commune(membership.structure.commune_insee)


@dataclass
class SkillGroup:
    title: str
    skills: list


@dataclass
class TensionView:
    """Tensions of a fiche in the bassins of a region, the user's bassin first."""

    region_code: str
    region_name: str
    rows: list
    user_bassin_code: str | None
    user_row: BassinTension | None
    from_parent: bool
    year: int | None


@dataclass
class SectorsView:
    hirings: list
    total: int
    from_parent: bool


@dataclass
class FichePage:
    fiche: Fiche
    parent: Fiche | None
    appellations: list
    know_how: list = field(default_factory=list)  # [SkillGroup] by macro-skill
    soft_skills: list = field(default_factory=list)
    knowledge: list = field(default_factory=list)  # [SkillGroup] by category
    contexts: list = field(default_factory=list)  # [SkillGroup] by type
    mobilities: list = field(default_factory=list)
    interests: list = field(default_factory=list)
    riasec: list = field(default_factory=list)
    sectors: SectorsView | None = None
    tension: TensionView | None = None
    fap_tensions: list = field(default_factory=list)


def fiche_page(fiche: Fiche, bassin_code: str | None = None) -> FichePage:
    parent = Fiche.objects.filter(code=fiche.parent_code).first() if fiche.has_parent else None
    page = FichePage(
        fiche=fiche,
        parent=parent,
        appellations=list(_appellations(fiche)),
        riasec=[
            (letter, *RIASEC_NAMES[letter])
            for letter in (fiche.riasec_major, fiche.riasec_minor)
            if letter
        ],
    )
    _add_skills(page)
    page.contexts = _grouped(
        (link.context.type_label, link.context)
        for link in FicheContext.objects.filter(fiche=fiche)
        .select_related("context")
        .order_by("context__type_code", "context__label")
    )
    page.mobilities = [
        mobility.target
        for mobility in Mobility.objects.filter(source=fiche)
        .select_related("target")
        .order_by("rank")
    ]
    page.interests = [
        link.centre
        for link in FicheInterest.objects.filter(fiche=fiche)
        .select_related("centre")
        .order_by("-is_main", "centre__label")
    ]
    sources = [fiche] + ([parent] if parent else [])
    page.sectors = _sectors(fiche, sources)
    page.tension = _tension(fiche, sources, bassin_code)
    page.fap_tensions = _own_or_parent(
        fiche, FapTension.objects.filter(fiche__in=sources).order_by("-tension_pct")
    )[0]
    return page


def _appellations(fiche):
    """The current titles of a fiche; every title it had when the fiche itself is obsolete."""
    titles = Appellation.objects.filter(fiche=fiche).order_by("classification", "label")
    return titles if fiche.is_obsolete else titles.filter(is_obsolete=False)


def _grouped(pairs):
    return [
        SkillGroup(title, [item for _, item in items])
        for title, items in groupby(pairs, key=lambda pair: pair[0])
    ]


CORE_TONES = {FicheSkill.CoeurMetier.PRINCIPALE: "info"}


def _add_skills(page):
    links = (
        FicheSkill.objects.filter(fiche=page.fiche)
        .select_related("skill__macro")
        .order_by("rubrique", "skill__label")
    )
    by_rubrique = {rubrique: [] for rubrique in FicheSkill.Rubrique.values}
    for link in links:
        # The fiche's « cœur de métier » flag, shown next to the skill.
        link.skill.core_label = link.get_coeur_metier_display() if link.coeur_metier else ""
        link.skill.core_tone = CORE_TONES.get(link.coeur_metier, "neutral")
        by_rubrique[link.rubrique].append(link.skill)
    # Savoir-faire under their macro-skill (a macro-skill linked alone is a group title).
    groups = {}
    for skill in by_rubrique[FicheSkill.Rubrique.KNOW_HOW]:
        items = groups.setdefault(skill.macro.label if skill.macro else skill.label, [])
        if skill.macro:
            items.append(skill)
    page.know_how = [SkillGroup(title, items) for title, items in sorted(groups.items())]
    page.soft_skills = by_rubrique[FicheSkill.Rubrique.SOFT_SKILLS]
    knowledge = sorted(
        by_rubrique[FicheSkill.Rubrique.KNOWLEDGE],
        key=lambda skill: (skill.category or "Autres savoirs", skill.label),
    )
    page.knowledge = _grouped((skill.category or "Autres savoirs", skill) for skill in knowledge)


def _own_or_parent(fiche, rows):
    """The fiche's own rows, or else its parent's (labour files use older ROME codes)."""
    rows = list(rows)
    own = [row for row in rows if row.fiche_id == fiche.pk]
    return (own, False) if own or not rows else (rows, True)


def _sectors(fiche, sources):
    hirings, from_parent = _own_or_parent(
        fiche,
        Hiring.objects.filter(fiche__in=sources)
        .select_related("naf__section")
        .order_by("-count", "naf__code"),
    )
    return SectorsView(
        hirings=hirings[:TOP_SECTORS],
        total=sum(hiring.count for hiring in hirings),
        from_parent=from_parent,
    )


def _tension(fiche, sources, bassin_code):
    user_rows = (
        list(BassinTension.objects.filter(fiche__in=sources, bassin_code=bassin_code))
        if bassin_code
        else []
    )
    region = next((row.region_code for row in user_rows if row.region_code), None)
    region = region or DEFAULT_REGION_CODE
    rows, from_parent = _own_or_parent(
        fiche,
        BassinTension.objects.filter(fiche__in=sources, region_code=region).order_by(
            "-year", "bassin_name"
        ),
    )
    year = rows[0].year if rows else None
    rows = [row for row in rows if row.year == year]
    user_row = next((row for row in rows if row.bassin_code == bassin_code), None)
    return TensionView(
        region_code=region,
        region_name=REGION_NAMES.get(region, f"région {region}"),
        rows=rows,
        user_bassin_code=bassin_code,
        user_row=user_row,
        from_parent=from_parent,
        year=year,
    )
