"""What the guidance pages do: explore, detail a target, build the synthesis, and (counsellor
mode) save a person's profile and retained targets.

Views stay thin: each calls one function here. Exploring stores nothing; saving happens only
in counsellor mode (``save_profile``, ``retain_target``) and for a consented contact request.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from tisserand.core import timeline
from tisserand.core.actor import Actor
from tisserand.core.models import TimelineEvent
from tisserand.guidance import constraints, loading
from tisserand.guidance.engine import DEFAULT_WEIGHTS, Profile, Ranking, rank, riasec
from tisserand.guidance.engine.access import level_label
from tisserand.guidance.engine.data import SkillKind
from tisserand.guidance.engine.errors import GuidanceError, UnknownCodeError
from tisserand.guidance.engine.explain import skill_gap
from tisserand.guidance.models import (
    MAX_RADIUS_KM,
    ContactRequest,
    GuidanceProfile,
    GuidanceTarget,
    HeldJob,
    WorkingTime,
)
from tisserand.guidance.profiles import JobEntry, ProfileData
from tisserand.people import hooks as people_hooks
from tisserand.people.models import Person
from tisserand.referentials.geo.models import Commune
from tisserand.referentials.rome.models import Appellation, Fiche, Hiring, InterestCentre, Skill
from tisserand.referentials.trainings.services import SearchError, search_trainings
from tisserand.referentials.vocabularies import api as vocabularies
from tisserand.structures.models import Structure, StructureKind

SUGGESTIONS_SHOWN = 20
TRAININGS_SHOWN = 5
SECTORS_SHOWN = 8
DEFAULT_TRAINING_RADIUS_KM = 30
NATURE_TITLES = {
    SkillKind.KNOW_HOW: "Savoir-faire",
    SkillKind.KNOWLEDGE: "Savoirs",
    SkillKind.SOFT_SKILL: "Savoir-être professionnels",
}
NATURES = (SkillKind.KNOW_HOW, SkillKind.KNOWLEDGE, SkillKind.SOFT_SKILL)


# --- exploring ---------------------------------------------------------------------------------


@dataclass
class Exploration:
    data: ProfileData
    profile: Profile
    area: object
    ranking: Ranking
    suggestions: list
    held: list  # [(appellation label, ROME code)]

    @property
    def catalogue(self):
        return self.ranking.catalogue


def _area(data):
    if not data.commune:
        return None
    area = loading.area_of(data.commune)
    if area is None:
        raise UnknownCodeError("commune", [data.commune])
    return area


def explore(data, count=SUGGESTIONS_SHOWN, *, weights=DEFAULT_WEIGHTS, second_degree=False):
    """Ranks every occupation for ``data``; raises GuidanceError (French) on bad input."""
    catalogue = loading.current_catalogue()
    appellations = loading.appellation_index()
    profile = data.to_engine(appellations)
    area = _area(data)
    demand = loading.demand_for(
        area.bassin_code if area else None, area.bassin_label if area else ""
    )
    ranking = rank(catalogue, profile, demand=demand, weights=weights, second_degree=second_degree)
    return Exploration(
        data=data,
        profile=profile,
        area=area,
        ranking=ranking,
        suggestions=ranking.top(count),
        held=[(job.label, job.code) for job in profile.held_jobs],
    )


@dataclass
class SkillChoice:
    code: int
    label: str
    checked: bool
    is_core: bool = False


@dataclass
class SkillGroup:
    title: str
    skills: list


CERTIFICATIONS_TITLE = "Diplômes, certificats et habilitations (cochez ceux que vous avez)"


def skills_to_confirm(data):
    """The skills of the jobs held, grouped by job then nature, to tick.

    Nothing is ticked in advance: only what the person (or their counsellor) ticks is
    confirmed. Within a group, the « cœur de métier » skills of the job come first; diplomas,
    certificates and licences form their own group (they are held or not, not practised).
    """
    catalogue = loading.current_catalogue()
    appellations = loading.appellation_index()
    chosen, seen, jobs = set(data.skills), set(), []
    for job in data.jobs:
        if job.appellation not in appellations:
            continue
        label, code = appellations[job.appellation]
        occupation = catalogue.occupation(code)
        core = set(occupation.core_skills)
        groups = {}
        for skill_code in occupation.skills:
            skill = catalogue.skills.get(skill_code)
            if skill is None or skill_code in seen:
                continue
            seen.add(skill_code)
            title = CERTIFICATIONS_TITLE if skill.is_certification else NATURE_TITLES[skill.kind]
            groups.setdefault(title, []).append(
                SkillChoice(skill_code, skill.label, skill_code in chosen, skill_code in core)
            )
        order = [NATURE_TITLES[nature] for nature in NATURES] + [CERTIFICATIONS_TITLE]
        jobs.append(
            (
                label,
                code,
                [
                    SkillGroup(title, sorted(groups[title], key=_core_first))
                    for title in order
                    if title in groups
                ],
            )
        )
    extra = [
        SkillChoice(code, catalogue.skills[code].label, True)
        for code in sorted(chosen - seen)
        if code in catalogue.skills
    ]
    return jobs, sorted(extra, key=_by_label)


def checked_skills(jobs, extra):
    """The codes of the skills ticked in ``skills_to_confirm``'s lists."""
    return [
        choice.code
        for _, _, groups in jobs
        for group in groups
        for choice in group.skills
        if choice.checked
    ] + [choice.code for choice in extra]


def _by_label(choice):
    return choice.label.casefold()


def _core_first(choice):
    return (not choice.is_core, choice.label.casefold())


# --- a target: gap and route -----------------------------------------------------------------


@dataclass
class TargetDetail:
    suggestion: object
    fiche: Fiche
    appellations: list
    have: list  # [SkillGroup]
    close: list
    missing: list
    # Skills of the jobs held that the person did not tick: shared, not claimed.
    from_jobs: list = field(default_factory=list)
    # [(label, stated)]: diplomas and licences the fiche names, and whether the person has it.
    requirements: list = field(default_factory=list)
    # Labels of the skills France Travail flags as the « cœur de métier » of the target.
    core_labels: frozenset = frozenset()
    trainings: list = field(default_factory=list)
    trainings_scope: str = ""
    trainings_error: str = ""
    sectors: list = field(default_factory=list)

    @property
    def code(self):
        return self.fiche.code


def _by_nature(skills):
    groups = []
    for nature in NATURES:
        labels = [skill.label for skill in skills if skill.kind == nature]
        if labels:
            groups.append(SkillGroup(NATURE_TITLES[nature], labels))
    return groups


def target_detail(exploration, code, trainings=TRAININGS_SHOWN):
    catalogue = exploration.catalogue
    if code not in catalogue.position:
        raise UnknownCodeError("métier", [code])
    suggestion = exploration.ranking.suggestion(code)
    occupation = catalogue.occupation(code)
    gap = skill_gap(
        catalogue, occupation, exploration.profile.skills, exploration.ranking.context["presumed"]
    )
    fiche = Fiche.objects.get(code=code)
    detail = TargetDetail(
        suggestion=suggestion,
        fiche=fiche,
        appellations=list(
            Appellation.objects.filter(fiche=fiche, is_obsolete=False)
            .order_by("is_rarely_used", "label")
            .values_list("label", flat=True)[:12]
        ),
        have=_by_nature(gap.have),
        close=_by_nature(gap.close),
        missing=_by_nature(gap.missing),
        from_jobs=_by_nature(gap.from_jobs),
        requirements=[(skill.label, stated) for skill, stated in gap.requirements],
        core_labels=frozenset(
            catalogue.skills[code].label
            for code in occupation.core_skills
            if code in catalogue.skills
        ),
        sectors=_sectors(fiche),
    )
    _add_trainings(detail, exploration, trainings)
    return detail


def _sectors(fiche):
    for source in (fiche.pk, fiche.parent_code):
        rows = (
            Hiring.objects.filter(fiche_id=source)
            if isinstance(source, int)
            else Hiring.objects.filter(fiche__code=source)
        )
        rows = list(
            rows.values_list("naf__code", "naf__label", "count").order_by("-count", "naf__code")[
                :SECTORS_SHOWN
            ]
        )
        if rows:
            return rows
    return []


def _add_trainings(detail, exploration, count):
    """Trainings near home; else the nearest ones, farther; else the catalogue's."""
    codes = sorted({detail.fiche.code, detail.fiche.parent_code})
    area, radius = exploration.area, exploration.data.radius_km or DEFAULT_TRAINING_RADIUS_KM
    try:
        if area is not None:
            found = search_trainings(
                rome_codes=codes, commune_insee=area.insee_code, radius_km=radius
            )
            detail.trainings_scope = f"à moins de {radius} km de {area.name}"
            if not found and radius < MAX_RADIUS_KM:
                found = search_trainings(
                    rome_codes=codes, commune_insee=area.insee_code, radius_km=MAX_RADIUS_KM
                )
                if found:
                    detail.trainings_scope = (
                        f"les plus proches de {area.name} (aucune à moins de {radius} km)"
                    )
        else:
            found = search_trainings(rome_codes=codes)
            detail.trainings_scope = "au catalogue (indiquez votre commune pour les plus proches)"
        detail.trainings = list(found[:count])
    except SearchError as error:
        detail.trainings_error = str(error)


# --- the synthesis ---------------------------------------------------------------------------


@dataclass
class ProfileSummary:
    jobs: list  # [(label, years, is_current)]
    skills_count: int
    top_skills: list
    certifications: list
    interests: list
    riasec_code: str
    riasec_text: str
    commune: str
    radius_km: int | None
    working_time: str
    level: str
    limits: list


def profile_summary(exploration):
    data, catalogue = exploration.data, exploration.catalogue
    appellations = loading.appellation_index()
    person_weights = catalogue.person_weights(data.skills)
    ticked = [catalogue.skills[c] for c in data.skills if c in catalogue.skills]
    ranked_skills = sorted(
        (skill for skill in ticked if not skill.is_certification),
        key=lambda skill: (-person_weights.get(skill.code, 0.0), skill.label),
    )
    levels = vocabularies.labels(vocabularies.QUALIFICATION_LEVEL)
    return ProfileSummary(
        jobs=[(appellations[j.appellation][0], j.years, j.is_current) for j in data.jobs],
        skills_count=len(ranked_skills),
        top_skills=[skill.label for skill in ranked_skills[:10]],
        certifications=sorted(skill.label for skill in ticked if skill.is_certification),
        interests=[
            catalogue.centres[c].label for c in sorted(data.interests) if c in catalogue.centres
        ],
        riasec_code=data.riasec_code,
        riasec_text=riasec.describe(data.riasec_code),
        commune=exploration.area.name if exploration.area else "",
        radius_km=data.radius_km,
        working_time=WorkingTime(data.working_time).label,
        level=levels.get(data.qualification_level, level_label(data.level) or ""),
        limits=constraints.labels(data.physical_limits, constraints.PHYSICAL_LIMITS)
        + constraints.labels(data.excluded_hours, constraints.EXCLUDED_HOURS),
    )


@dataclass
class Synthesis:
    made_on: object
    summary: ProfileSummary
    targets: list
    next_steps: list
    person: object = None


def synthesis(exploration, codes, person=None):
    codes = list(dict.fromkeys(codes))
    if not codes:
        codes = [suggestion.code for suggestion in exploration.suggestions[:3]]
    targets = [target_detail(exploration, code, trainings=3) for code in codes]
    return Synthesis(
        made_on=timezone.localdate(),
        summary=profile_summary(exploration),
        targets=targets,
        next_steps=next_steps(targets),
        person=person,
    )


def next_steps(targets):
    steps = []
    for target in targets:
        label = target.suggestion.label
        if target.trainings:
            first = target.trainings[0].training
            steps.append(
                f"{label} : vous renseigner sur la formation « {first.title} » "
                f"({first.body.name if first.body else 'organisme de formation'})."
            )
        elif target.missing:
            steps.append(
                f"{label} : chercher avec un conseiller une formation pour acquérir les "
                "compétences qui manquent."
            )
        if "VAE" in target.suggestion.access_reason:
            steps.append(
                f"{label} : vérifier si une validation des acquis de l'expérience (VAE) est "
                "possible."
            )
    steps.append(
        "Découvrir les métiers retenus sur le terrain : rencontrer des professionnels, faire une "
        "période d'immersion en entreprise (PMSMP) avec votre conseiller."
    )
    steps.append(
        "Prendre rendez-vous à la Maison de l'Emploi pour construire votre projet et votre "
        "parcours de formation."
    )
    return steps


# --- counsellor mode -------------------------------------------------------------------------


@dataclass(frozen=True)
class Counsellor:
    """Who made a synthesis with the person, and their next appointment, for its PDF."""

    name: str
    structure: str
    next_appointment: str = ""


def counsellor_of(person: Person, *, actor: Actor) -> Counsellor:
    """The counsellor ``actor``; the next appointment through a people hook (the
    appointments app provides it: services never import each other)."""
    user = actor.user
    return Counsellor(
        name=user.get_full_name() or user.email,
        structure=actor.structure.name,
        next_appointment=people_hooks.next_appointment(person, actor.structure),
    )


def has_profile(person):
    return GuidanceProfile.objects.filter(person=person).exists()


def stored_profile_data(person):
    """The person's saved profile as ``ProfileData``; pre-filled from the record when none."""
    profile = (
        GuidanceProfile.objects.filter(person=person)
        .select_related("commune")
        .prefetch_related("held_jobs__appellation", "skills", "interests")
        .first()
    )
    if profile is None:
        return ProfileData(
            commune=person.commune.insee_code if person.commune_id else "",
            qualification_level=person.qualification_level or "",
        )
    return ProfileData(
        jobs=[
            JobEntry(
                job.appellation.code_ogr,
                float(job.years) if job.years is not None else None,
                job.is_current,
            )
            for job in profile.held_jobs.all()
        ],
        skills=sorted(skill.code_ogr for skill in profile.skills.all()),
        interests=sorted(centre.code for centre in profile.interests.all()),
        riasec_code=profile.riasec_code,
        riasec_answers=profile.riasec_answers,
        commune=profile.commune.insee_code if profile.commune_id else "",
        radius_km=profile.mobility_radius_km,
        working_time=profile.working_time,
        excluded_hours=list(profile.excluded_hours),
        physical_limits=list(profile.physical_limits),
        qualification_level=profile.qualification_level,
    )


def _jobs_label(profile):
    return ", ".join(job.appellation.label for job in profile.held_jobs.all()) or timeline.EMPTY


def _counts(profile):
    return {
        "métiers exercés": _jobs_label(profile),
        "compétences confirmées": str(profile.skills.count()),
        "centres d'intérêt": str(profile.interests.count()),
    }


@transaction.atomic
def save_profile(person: Person, *, data: ProfileData, actor: Actor) -> GuidanceProfile:
    """Saves the person's guidance profile from checked ``data``; records it on the timeline."""
    data.to_engine(loading.appellation_index())
    profile = GuidanceProfile.objects.filter(person=person).first()
    is_new = profile is None
    profile = profile or GuidanceProfile(person=person)
    before = {} if is_new else timeline.snapshot(profile, GuidanceProfile.TRACKED_FIELDS)
    counts_before = {} if is_new else _counts(profile)
    profile.riasec_code = data.riasec_code
    profile.riasec_answers = data.riasec_answers
    profile.commune = Commune.objects.get(insee_code=data.commune) if data.commune else None
    profile.mobility_radius_km = data.radius_km
    profile.working_time = data.working_time
    profile.excluded_hours = data.excluded_hours
    profile.physical_limits = data.physical_limits
    profile.qualification_level = data.qualification_level
    profile.updated_at, profile.updated_by = timezone.now(), actor.user
    profile.full_clean(exclude=["person"])
    profile.save()
    profile.skills.set(Skill.objects.filter(code_ogr__in=data.skills))
    profile.interests.set(InterestCentre.objects.filter(code__in=data.interests))
    profile.held_jobs.all().delete()
    by_code = Appellation.objects.in_bulk(
        [job.appellation for job in data.jobs], field_name="code_ogr"
    )
    HeldJob.objects.bulk_create(
        HeldJob(
            profile=profile,
            appellation=by_code[job.appellation],
            years=job.years,
            is_current=job.is_current,
            position=position,
        )
        for position, job in enumerate(data.jobs)
    )
    _record_profile(profile, is_new, before, counts_before, person, actor)
    return profile


def _record_profile(profile, is_new, before, counts_before, person, actor):
    if is_new:
        timeline.record(
            profile,
            TimelineEvent.Verb.CREATED,
            f"Profil d'orientation créé : {_jobs_label(profile)}",
            actor=actor.user,
            structure=actor.structure,
            about=person,
        )
        return
    changes = timeline.diff(profile, before, timeline.snapshot(profile, before.keys()))
    counts_after = _counts(profile)
    changes += [
        {"field": name, "before": counts_before[name], "after": counts_after[name]}
        for name in counts_after
        if counts_before[name] != counts_after[name]
    ]
    if changes:
        timeline.record(
            profile,
            TimelineEvent.Verb.CHANGED,
            "Profil d'orientation mis à jour : " + ", ".join(c["field"] for c in changes),
            actor=actor.user,
            structure=actor.structure,
            changes=changes,
            about=person,
        )


def active_targets(person):
    return list(
        GuidanceTarget.objects.filter(person=person, withdrawn_at__isnull=True).select_related(
            "fiche", "appellation", "retained_by"
        )
    )


def _appellation_for(fiche, appellation_code):
    appellations = Appellation.objects.filter(fiche=fiche, is_obsolete=False)
    if appellation_code:
        chosen = appellations.filter(code_ogr=appellation_code).first()
        if chosen is None:
            raise UnknownCodeError("intitulé", [appellation_code])
        return chosen
    same_label = appellations.filter(label=fiche.label).first()
    return same_label or appellations.order_by("is_rarely_used", "classification", "label").first()


@transaction.atomic
def retain_target(
    person: Person,
    *,
    exploration: Exploration,
    code: str,
    actor: Actor,
    appellation_code: int | None = None,
) -> GuidanceTarget:
    """Retains an occupation as a target of the person's project (timeline; the other services
    hear of it through people's ``occupation_target_retained`` hook)."""
    suggestion = exploration.ranking.suggestion(code)
    fiche = Fiche.objects.get(code=code)
    appellation = _appellation_for(fiche, appellation_code)
    try:
        with transaction.atomic():
            target = GuidanceTarget.objects.create(
                person=person,
                fiche=fiche,
                appellation=appellation,
                score_percent=suggestion.percent,
                reasons=suggestion.reasons,
                retained_by=actor.user,
                structure=actor.structure,
            )
    except IntegrityError:
        raise GuidanceError(f"« {fiche.label} » est déjà une cible retenue.") from None
    timeline.record(
        target,
        TimelineEvent.Verb.CREATED,
        f"Cible d'orientation retenue : {target} (pertinence {suggestion.percent} %)",
        actor=actor.user,
        structure=actor.structure,
        about=person,
    )
    # The accompaniment app adds it to the open accompaniment's professional project.
    people_hooks.occupation_target_retained(person, appellation, actor.membership)
    return target


@transaction.atomic
def withdraw_target(target: GuidanceTarget, *, actor: Actor) -> None:
    target.withdrawn_at = timezone.now()
    target.save(update_fields=["withdrawn_at"])
    timeline.record(
        target,
        TimelineEvent.Verb.STATUS_CHANGED,
        f"Cible d'orientation abandonnée : {target}",
        actor=actor.user,
        structure=actor.structure,
        about=target.person,
    )


# --- contact requests from the public page -----------------------------------------------------

CONSENT_TEXT = (
    "J'accepte que la Maison de l'Emploi conserve ces informations pour me recontacter au sujet "
    "de mon orientation professionnelle. Elles sont supprimées au plus tard 12 mois après ma "
    "demande ; je peux en demander la suppression à tout moment."
)
RETENTION_DAYS = 365


def receiving_structure():
    """The Maison de l'Emploi that receives the requests (the first one of the network)."""
    return (
        Structure.objects.filter(kind=StructureKind.MAISON_EMPLOI, is_active=True)
        .order_by("pk")
        .first()
    )


def profile_text(exploration, codes):
    summary = profile_summary(exploration)
    lines = []
    if summary.jobs:
        lines.append("Métiers exercés : " + ", ".join(label for label, _, _ in summary.jobs))
    if summary.commune:
        lines.append(f"Commune : {summary.commune}")
    if summary.riasec_code:
        lines.append(f"Profil RIASEC : {summary.riasec_code}")
    if summary.interests:
        lines.append("Envies : " + " ; ".join(summary.interests))
    catalogue = exploration.catalogue
    targets = [catalogue.occupation(c).label for c in codes if c in catalogue.position]
    if targets:
        lines.append("Métiers qui l'intéressent : " + " ; ".join(targets))
    return "\n".join(lines)


@transaction.atomic
def create_contact_request(cleaned, profile_summary_text=""):
    return ContactRequest.objects.create(
        structure=receiving_structure(),
        first_name=cleaned["first_name"],
        last_name=cleaned.get("last_name", ""),
        email=cleaned.get("email", ""),
        phone=cleaned.get("phone", ""),
        preferred_means=cleaned["preferred_means"],
        message=cleaned.get("message", ""),
        profile_summary=profile_summary_text,
        consent_text=CONSENT_TEXT,
        consented_at=timezone.now(),
    )


def mark_handled(contact_request: ContactRequest, *, actor: Actor) -> None:
    contact_request.handled_at = timezone.now()
    contact_request.handled_by = actor.user
    contact_request.save(update_fields=["handled_at", "handled_by"])
    timeline.record(
        contact_request,
        TimelineEvent.Verb.STATUS_CHANGED,
        "Demande de contact traitée",
        actor=actor.user,
        structure=actor.structure,
    )


def purge_contact_requests(now=None):
    """Deletes the requests older than the retention period; returns how many."""
    limit = (now or timezone.now()) - timedelta(days=RETENTION_DAYS)
    deleted, _ = ContactRequest.objects.filter(created_at__lt=limit).delete()
    return deleted
