"""The demo objectives: the State, the Region and the metropolis over the demo data, some met,
some behind; idempotent."""

from io import StringIO

from tisserand.accompaniment import demo as accompaniment_demo
from tisserand.core import demo as seeders
from tisserand.reporting import demo, progress
from tisserand.reporting.models import Convention, FunderKind
from tisserand.structures import demo as territory


def test_demo_objectives_some_met_some_behind_once():
    territory.seed()
    out = StringIO()
    accompaniment_demo.seed(out)
    demo.seed(out)
    assert "3 conventions" in out.getvalue()
    conventions = Convention.objects.filter(is_demo=True)
    assert set(conventions.values_list("funder_kind", flat=True)) == {
        FunderKind.STATE,
        FunderKind.REGION,
        FunderKind.METROPOLIS,
    }
    statuses = [
        item.status
        for convention in conventions
        for item in progress.convention_progress(convention)
    ]
    assert progress.BEHIND in statuses
    assert {progress.ACHIEVED, progress.ON_TRACK} & set(statuses)
    metropolis = conventions.get(funder_kind=FunderKind.METROPOLIS)
    assert metropolis.funder_structure.kind == "funder"
    demo.seed(out)
    assert Convention.objects.filter(is_demo=True).count() == 3
    assert "Objectifs et conventions (démonstration)" in [s.name for s in seeders.seeders()]
    names = [s.name for s in seeders.seeders()]
    assert names.index("Objectifs et conventions (démonstration)") > names.index(
        "Accompagnements (démonstration)"
    )


def test_demo_objectives_on_clause_hours_on_track_and_event_attendances_behind():
    from tisserand.clauses import demo as clauses_demo
    from tisserand.events import demo as events_demo

    territory.seed()
    out = StringIO()
    accompaniment_demo.seed(out)
    events_demo.seed(out)
    clauses_demo.seed(out)
    demo.seed(out)
    conventions = Convention.objects.filter(is_demo=True)
    status = {
        item.objective.indicator_code: item.status
        for convention in conventions
        for item in progress.convention_progress(convention)
        if item.objective.indicator_code in ("clause_hours", "event_attendances")
    }
    assert status["event_attendances"] == progress.BEHIND
    assert status["clause_hours"] in (progress.ACHIEVED, progress.ON_TRACK)
