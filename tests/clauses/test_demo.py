import io

from tests.factories import StructureFactory
from tisserand.clauses import demo, progress
from tisserand.clauses.models import Declaration, Lot, Participant
from tisserand.structures import demo as territory


def test_the_demo_seeds_an_npnru_operation_once():
    structure = StructureFactory(siret=territory.demo_siret(1))
    out = io.StringIO()
    demo.seed(out)
    assert Lot.objects.count() == 60
    assert Participant.objects.count() == 80
    assert Declaration.objects.count() > 700
    board = progress.board(Lot.objects.filter(contract__operation__structure=structure))
    kinds = {alert.kind for alert in board.alerts}
    assert {"behind", "ending", "late"} <= kinds
    assert any(item.ahead for item in board.lots)
    demo.seed(out)
    assert Lot.objects.count() == 60 and "déjà présentes" in out.getvalue()
