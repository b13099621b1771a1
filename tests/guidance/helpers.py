"""Helpers of the guidance tests: job titles of the real ROME, form parameters."""

from django.urls import reverse

from tisserand.guidance import loading
from tisserand.guidance.profiles import JobEntry, ProfileData

ROUBAIX = "59512"


def appellation_code(fiche, label=None):
    """The code OGR of a job title of ``fiche`` (the one labelled ``label``, else the first)."""
    found = sorted(
        (code, title)
        for code, (title, fiche_code) in loading.appellation_index().items()
        if fiche_code == fiche and (label is None or title == label)
    )
    assert found, (fiche, label)
    return found[0][0]


def explore_params(fiche="J1501", action="resultats", **extra):
    params = {
        "metier_1_code": str(appellation_code(fiche)),
        "metier_1": "",
        "temps": "any",
        "action": action,
    }
    params.update(extra)
    return params


def profile(fiche="J1501", **changes):
    catalogue = loading.current_catalogue()
    values = {
        "jobs": [JobEntry(appellation_code(fiche), 4.0, True)],
        "skills": list(catalogue.occupation(fiche).skills),
        "commune": ROUBAIX,
        "radius_km": 20,
    }
    values.update(changes)
    return ProfileData(**values)


def results_url(data):
    return f"{reverse('guidance:results')}?p={data.to_token()}"


def make_training(rome_code, title="Formation de démonstration", commune=ROUBAIX, point=None):
    """A training with one session in ``commune`` (at ``point`` or its centroid), for tests."""
    import datetime

    from tisserand.referentials.trainings.models import (
        Action,
        CodeKind,
        Session,
        Training,
        TrainingBody,
        TrainingCode,
    )

    body, _ = TrainingBody.objects.get_or_create(
        siret="99990001000019", defaults={"name": "Organisme fictif de test"}
    )
    training = Training.objects.create(
        lheo_id=f"test-{rome_code}-{Training.objects.count()}",
        title=title,
        body=body,
        lheo_version="2.3",
        is_certifying=True,
    )
    TrainingCode.objects.create(
        training=training, kind=CodeKind.ROME, code=rome_code, is_principal=True
    )
    action = Action.objects.create(training=training, lheo_id="a1", commune_insee=commune)
    latitude, longitude = point or (None, None)
    Session.objects.create(
        action=action,
        lheo_id="s1",
        commune_insee=commune,
        city="Roubaix",
        latitude=latitude,
        longitude=longitude,
        start_date=datetime.date(2030, 9, 1),
        end_date=datetime.date(2031, 3, 1),
    )
    return training
