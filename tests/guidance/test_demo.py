"""The demo seeder: profiles and targets for demo persons, fictitious contact requests."""

import datetime
import io

from tests.accompaniment.conftest import ensure_initial_data
from tests.accompaniment.factories import programme
from tests.people.factories import PersonFactory
from tisserand.accompaniment import services as accompaniment_services
from tisserand.core.actor import Actor
from tisserand.guidance import demo
from tisserand.guidance.models import ContactRequest, GuidanceProfile, GuidanceTarget
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role


def test_the_demo_is_seeded_once(make_member, structure, roubaix):
    ensure_initial_data()
    structure.kind = StructureKind.MAISON_EMPLOI
    structure.save()
    referent = make_member(Role.REFERENT, structure)
    for index in range(3):
        person = PersonFactory(owner_structure=structure, is_demo=True, commune=roubaix)
        accompaniment_services.open_accompaniment(
            person,
            programme=programme(),
            referent=referent.user,
            entry_date=datetime.date(2025, 1, 6 + index),
            actor=Actor.of(referent),
        )
    output = io.StringIO()
    demo.seed(output)
    assert "3 profils d'orientation, 2 cibles retenues et 2 demandes" in output.getvalue()
    assert GuidanceProfile.objects.count() == 3
    assert GuidanceTarget.objects.count() == 2
    assert ContactRequest.objects.filter(structure=structure).count() == 2
    demo.seed(output)
    assert "déjà présente" in output.getvalue()
    assert ContactRequest.objects.count() == 2
