"""The demo catalogue: a few hundred fictitious sessions around Roubaix, generated as a LHÉO
file and stored through the real importer, once."""

import io
import time

from tests.referentials.trainings.conftest import make_communes
from tisserand.referentials.geo.models import PostalCode
from tisserand.referentials.trainings import demo_catalogue
from tisserand.referentials.trainings.lheo import read_catalogue
from tisserand.referentials.trainings.models import Session, Training, TrainingBody
from tisserand.referentials.trainings.registrations import load_demo_trainings
from tisserand.referentials.trainings.services import search_trainings

POSTAL_CODES = {"59512": "59100", "59599": "59200", "59367": "59390", "59350": "59000"}


def make_area():
    """The communes of the demo with their postal codes (Quimperlé is not around Roubaix)."""
    for commune in make_communes():
        if commune.insee_code in POSTAL_CODES:
            PostalCode.objects.create(commune=commune, code=POSTAL_CODES[commune.insee_code])


def test_the_generated_file_is_valid_lheo_and_always_the_same():
    make_area()
    data = demo_catalogue.demo_catalogue()
    assert data == demo_catalogue.demo_catalogue()
    catalogue = read_catalogue(data, demo_catalogue.FILENAME)  # schema-validated
    assert len(catalogue.trainings) == 120
    assert 300 <= len(catalogue.sessions) <= 700
    assert {s.fields["commune_insee"] for s in catalogue.sessions} == set(POSTAL_CODES)
    assert all("démonstration" in t.body.fields["name"] for t in catalogue.trainings)


def test_the_loader_imports_it_once_and_fast():
    make_area()
    out = io.StringIO()
    started = time.perf_counter()
    load_demo_trainings(out)
    elapsed = time.perf_counter() - started
    generated = Training.objects.filter(source_file=demo_catalogue.FILENAME)
    assert generated.count() == 120 and all(t.is_demo for t in generated)
    assert Session.objects.filter(action__training__in=generated).count() >= 300
    assert TrainingBody.objects.filter(trainings__in=generated).distinct().count() == 30
    assert elapsed < 15, elapsed
    counts = (Training.objects.count(), Session.objects.count())
    load_demo_trainings(out)
    assert "catalogue de démonstration autour de Roubaix déjà chargé" in out.getvalue()
    assert (Training.objects.count(), Session.objects.count()) == counts


def test_the_catalogue_fills_a_search_around_roubaix():
    make_area()
    load_demo_trainings(io.StringIO())
    near = search_trainings(commune_insee="59512", radius_km=10)
    assert len(near) > 50
    assert len(search_trainings(rome_codes=["K2204"])) >= 5


def test_without_the_communes_nothing_is_generated():
    out = io.StringIO()
    load_demo_trainings(out)
    assert "communes autour de Roubaix absentes" in out.getvalue()
    assert not Training.objects.filter(source_file=demo_catalogue.FILENAME).exists()
