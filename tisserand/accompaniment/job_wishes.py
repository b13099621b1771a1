"""What the open accompaniments' professional projects say of the job each person seeks, for
the opportunities app's matching (the people hook ``job_wishes``)."""

from tisserand.accompaniment.models import Accompaniment, BarrierAssessment, ProfessionalProject
from tisserand.people.hooks import JobWishes

SIGNIFICANT = 2


def job_wishes(person_ids):
    """``{person_id: JobWishes}`` from each person's open accompaniment (three queries)."""
    accompaniments = dict(
        Accompaniment.objects.filter(person_id__in=person_ids, status="open")
        .order_by("person_id", "-pk")
        .values_list("pk", "person_id")
    )
    projects = ProfessionalProject.objects.filter(
        accompaniment_id__in=accompaniments
    ).prefetch_related("target_appellations__fiche")
    latest = {}
    for row in (
        BarrierAssessment.objects.filter(accompaniment_id__in=accompaniments)
        .order_by("accompaniment_id", "theme", "-assessed_on", "-recorded_at", "-id")
        .values_list("accompaniment_id", "theme", "level")
    ):
        latest.setdefault((row[0], row[1]), row[2])
    barriers = {}
    for (accompaniment_id, theme), level in latest.items():
        if level >= SIGNIFICANT:
            barriers.setdefault(accompaniment_id, set()).add(theme)
    wishes = {}
    for project in projects:
        person_id = accompaniments[project.accompaniment_id]
        targets = list(project.target_appellations.all())
        wishes[person_id] = JobWishes(
            appellation_ids=frozenset(a.pk for a in targets),
            fiche_codes=frozenset(a.fiche.code for a in targets),
            contract_types=frozenset(project.contract_types or []),
            working_time=project.working_time,
            radius_km=project.mobility_radius_km,
            barrier_themes=frozenset(barriers.get(project.accompaniment_id, ())),
        )
    for accompaniment_id, person_id in accompaniments.items():
        if person_id not in wishes and accompaniment_id in barriers:
            wishes[person_id] = JobWishes(barrier_themes=frozenset(barriers[accompaniment_id]))
    return wishes
