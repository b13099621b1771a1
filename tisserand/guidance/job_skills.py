"""The skills persons confirmed in their guidance profile, and their retained targets, for the
opportunities app's matching (the people hook ``confirmed_skills``). Only ticked skills are
confirmed: the skills of the jobs held that were not ticked are not given."""

from tisserand.guidance.models import GuidanceProfile, GuidanceTarget
from tisserand.people.hooks import ConfirmedSkills


def confirmed_skills(person_ids):
    """``{person_id: ConfirmedSkills}`` (three queries)."""
    profiles = {
        profile.person_id: profile
        for profile in GuidanceProfile.objects.filter(person_id__in=person_ids).prefetch_related(
            "skills"
        )
    }
    targets = {}
    for person_id, fiche_code, appellation_id in GuidanceTarget.objects.filter(
        person_id__in=person_ids, withdrawn_at__isnull=True
    ).values_list("person_id", "fiche__code", "appellation_id"):
        fiches, appellations = targets.setdefault(person_id, (set(), set()))
        fiches.add(fiche_code)
        if appellation_id:
            appellations.add(appellation_id)
    result = {}
    for person_id in set(profiles) | set(targets):
        profile = profiles.get(person_id)
        fiches, appellations = targets.get(person_id, (set(), set()))
        result[person_id] = ConfirmedSkills(
            skill_codes=frozenset(s.code_ogr for s in profile.skills.all())
            if profile
            else frozenset(),
            fiche_codes=frozenset(fiches),
            appellation_ids=frozenset(appellations),
            commune_id=profile.commune_id if profile else None,
            radius_km=profile.mobility_radius_km if profile else None,
        )
    return result
