"""An indicator's definition changes only with a new version: figures already reported stay
reproducible."""

import datetime
import json
from pathlib import Path

import pytest
from django.db.models import Count

from tests.factories import StructureFactory, UserFactory
from tests.reporting import factories as f
from tisserand.core.actor import Actor
from tisserand.reporting import indicators, services
from tisserand.reporting.indicators import DefinitionChanged, Indicator
from tisserand.reporting.indicators_accompaniment import exits_rows

LOCK = Path(indicators.__file__).with_name("definitions.json")


def test_every_registered_definition_has_the_fingerprint_of_its_version():
    """Changing a definition without a new version fails here: give it a new version (and
    keep the old one registered), then add the new key to definitions.json."""
    lock = json.loads(LOCK.read_text())
    found = {f"{i.code}@{i.version}": indicators.fingerprint(i) for i in indicators.registered}
    changed = sorted(key for key in lock if key in found and lock[key] != found[key])
    assert changed == []
    assert sorted(set(lock) - set(found)) == [], "une version déclarée n'est plus enregistrée"
    assert sorted(set(found) - set(lock)) == [], "nouvelle version : ajoutez-la au fichier"


def _only_cdi(scope, period):
    return exits_rows(scope, period).filter(exit_type="cdi")


def _persons():
    return Count("person_id", distinct=True)


TRIAL = indicators.get("positive_exits").version + 1


@pytest.fixture
def trial():
    """A new version of « positive exits »: CDI only."""
    current = indicators.get("positive_exits")
    item = Indicator(
        code="positive_exits",
        version=TRIAL,
        label=current.label,
        description_fr="Sorties en CDI seulement (version d'essai).",
        unit="personnes",
        rows=_only_cdi,
        measure=_persons,
        dimensions=current.dimensions,
    )
    indicators.register(item)
    yield item
    indicators.registered.unregister(("positive_exits", TRIAL))


def test_a_used_version_cannot_be_redefined():
    current = indicators.get("positive_exits", 1)
    with pytest.raises(DefinitionChanged):
        indicators.register(
            Indicator(
                code="positive_exits",
                version=1,
                label=current.label,
                description_fr="Autre chose.",
                unit="personnes",
                rows=_only_cdi,
                measure=_persons,
            )
        )
    assert indicators.get("positive_exits", 1) is current


def test_registering_the_same_definition_again_is_harmless():
    current = indicators.get("exits", 1)
    indicators.register(current)
    assert indicators.get("exits", 1) is current


def test_a_reported_figure_is_reproduced_by_its_version_after_a_new_one(trial):
    house = StructureFactory(kind="maison_emploi")
    f.accompaniment(house, exit_date=datetime.date(2025, 4, 1), exit_type="cdi")
    f.accompaniment(house, exit_date=datetime.date(2025, 4, 1), exit_type="qualifying_training")
    convention = f.convention([house])
    indicators.registered.unregister(("positive_exits", TRIAL))
    objective = f.objective(convention, "positive_exits", target=5, version=TRIAL - 1)
    indicators.register(trial)
    assert objective.indicator_version == TRIAL - 1
    actor = Actor(UserFactory())
    figure = services.report_figure(
        objective, objective.targets.get(), actor=actor, today=datetime.date(2025, 12, 31)
    )
    assert figure.value == 2 and figure.indicator_version == TRIAL - 1
    # The latest definition now says 1; the figure reported says 2, and is reproduced as 2.
    assert indicators.get("positive_exits").compute(indicators.Scope(), f.YEAR) == 1
    assert services.reproduce(figure) == 2
    # New objectives take the latest version.
    other = f.convention([house], name="Autre")
    created = services.add_objective(
        other, data={"indicator": "positive_exits", "target": 3}, actor=actor
    )
    assert created.indicator_version == TRIAL


def test_a_changed_definition_under_the_same_version_is_refused_when_reporting():
    house = StructureFactory(kind="maison_emploi")
    objective = f.objective(f.convention([house]), "accompanied")
    objective.definition_fingerprint = "0" * 64
    objective.save()
    with pytest.raises(services.DefinitionMismatch):
        services.report_figure(objective, objective.targets.get(), actor=Actor(UserFactory()))
    assert not objective.figures.exists()
