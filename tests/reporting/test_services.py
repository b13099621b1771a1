"""Conventions, objectives and targets (bad input: a French error, nothing written; the
database refuses what breaks a figure), progress and projection, the NAF classification, the
monthly report sent once."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from tests.factories import MembershipFactory, StructureFactory, UserFactory
from tests.reporting import factories as f
from tisserand.core.actor import Actor
from tisserand.reporting import monthly, progress, services, tasks
from tisserand.reporting.models import (
    Convention,
    MonthlyReportDispatch,
    NafSphere,
    Objective,
    Target,
)
from tisserand.structures.roles import Role

D = datetime.date


@pytest.fixture
def house():
    return StructureFactory(kind="maison_emploi")


@pytest.fixture
def actor(house):
    return Actor.of(MembershipFactory(structure=house, role=Role.ADMIN))


def test_a_convention_needs_a_period_and_a_structure(actor, house):
    data = {
        "name": "Plan",
        "funder_kind": "state",
        "starts_on": D(2025, 1, 1),
        "ends_on": D(2024, 1, 1),
        "structures": [house],
    }
    with pytest.raises(services.ReportingError, match="doit suivre"):
        services.create_convention(data=data, actor=actor)
    with pytest.raises(services.ReportingError, match="au moins une structure"):
        services.create_convention(
            data={**data, "ends_on": D(2025, 12, 31), "structures": []}, actor=actor
        )
    assert not Convention.objects.exists()


def test_a_funder_never_records_a_convention(house):
    funder = MembershipFactory(structure=StructureFactory(kind="funder"), role=Role.FUNDER)
    data = {
        "name": "Plan",
        "funder_kind": "metropolis",
        "starts_on": D(2025, 1, 1),
        "ends_on": D(2025, 12, 31),
        "structures": [house],
    }
    with pytest.raises(services.ReportingError, match="enregistrées par la Maison"):
        services.create_convention(data=data, actor=Actor.of(funder))
    assert not Convention.objects.exists()


def test_objective_input_is_checked_and_nothing_written(actor, house):
    convention = f.convention([house])
    bad = [
        ({"indicator": "nope", "target": 5}, "Choisissez un indicateur"),
        ({"indicator": "accompanied", "target": 0}, "supérieur à zéro"),
        ({"indicator": "positive_exit_rate", "target": 120}, "100 au plus"),
        (
            {
                "indicator": "accompanied",
                "target": 5,
                "starts_on": D(2024, 1, 1),
                "ends_on": D(2025, 6, 30),
            },
            "comprise dans celle de la convention",
        ),
    ]
    for data, message in bad:
        with pytest.raises(services.ReportingError, match=message):
            services.add_objective(convention, data=data, actor=actor)
    assert not Objective.objects.exists()
    services.add_objective(convention, data={"indicator": "accompanied", "target": 5}, actor=actor)
    with pytest.raises(services.ReportingError, match="déjà un objectif"):
        services.add_objective(
            convention, data={"indicator": "accompanied", "target": 9}, actor=actor
        )
    assert Target.objects.count() == 1


def test_the_database_refuses_a_target_that_breaks_the_figures(house):
    objective = f.objective(f.convention([house]))
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(
            objective=objective, starts_on=D(2025, 2, 1), ends_on=D(2025, 3, 1), value=0
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(
            objective=objective, starts_on=D(2025, 6, 1), ends_on=D(2025, 5, 1), value=3
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.create(
            convention=objective.convention,
            indicator_code="accompanied",
            indicator_version=1,
            definition_fingerprint="x",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.create(
            name="x", funder_kind="state", starts_on=D(2025, 1, 1), ends_on=D(2025, 1, 1)
        )


def test_progress_projects_linearly_to_the_end_and_alerts_when_behind(house):
    f.many(house, 6, entry=D(2025, 2, 3))
    convention = f.convention([house])
    behind = f.objective(convention, "entries", target=30)
    on_track = f.objective(convention, "exits", target=1)
    middle = D(2025, 7, 2)  # 183 days out of 365
    measured = progress.measure(behind, behind.targets.get(), today=middle)
    assert measured.realised == 6
    assert measured.projection == round(6 * 365 / 183, 1)
    assert measured.status == progress.BEHIND and measured.percent == 20
    f.accompaniment(house, entry=D(2025, 1, 6), exit_date=D(2025, 3, 3), exit_type="cdi")
    assert progress.measure(on_track, on_track.targets.get(), today=middle).status == "achieved"
    assert progress.measure(behind, behind.targets.get(), today=D(2024, 6, 1)).status == (
        progress.NOT_STARTED
    )


def test_a_small_realised_figure_is_masked_for_a_funder_with_its_projection(house):
    f.many(house, 3)
    objective = f.objective(f.convention([house]), "entries", target=30)
    measured = progress.measure(objective, objective.targets.get(), today=D(2025, 7, 2), mask=True)
    assert measured.masked and measured.realised is None and measured.projection is None
    assert measured.percent is None and measured.status == progress.BEHIND


def test_naf_spheres_load_once_and_keep_the_reviews(actor, tmp_path):
    assert services.load_naf_spheres() == (88, 0)
    assert services.load_naf_spheres() == (0, 0)
    construction = NafSphere.objects.get(division="41")
    assert construction.sphere == "presentielle" and construction.explanation
    services.review_naf(
        construction, data={"sphere": "productive", "explanation": "Essai"}, actor=actor
    )
    assert services.load_naf_spheres() == (0, 0)
    construction.refresh_from_db()
    assert construction.sphere == "productive" and construction.default_sphere == "presentielle"
    with pytest.raises(services.ReportingError, match="raison"):
        services.review_naf(
            construction, data={"sphere": "productive", "explanation": " "}, actor=actor
        )


def test_a_bad_classification_file_names_its_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "naf.csv"
    bad.write_text(
        "division;libelle;sphere;raison\n41;Construction;presentielle;Sur place\n"
        "4X;Erreur;locale;\n",
        encoding="utf-8",
    )
    with pytest.raises(services.ReportingError) as error:
        services.load_naf_spheres(bad)
    assert "ligne 3, division" in str(error.value) and "ligne 3, sphere" in str(error.value)
    assert not NafSphere.objects.exists()


def test_the_share_of_presentielle_hirings():
    from tests.accompaniment.factories import appellation
    from tisserand.referentials.rome.models import Hiring, NafSection, NafSubclass
    from tisserand.reporting import relocation

    services.load_naf_spheres()
    job = appellation().fiche
    section = NafSection.objects.create(code="F", label="Construction")
    trade = NafSection.objects.create(code="C", label="Industrie")
    builder = NafSubclass.objects.create(
        code="4120A", label="Construction", section=section, search_text="construction"
    )
    weaver = NafSubclass.objects.create(
        code="1320Z", label="Tissage", section=trade, search_text="tissage"
    )
    Hiring.objects.create(fiche=job, naf=builder, source_rome_code="F1703", count=30)
    Hiring.objects.create(fiche=job, naf=weaver, source_rome_code="B1803", count=10)
    table, (local, total) = relocation.share_table()
    assert (local, total) == (30, 40)
    assert table.rows[-1] == ["Ensemble", 40, 30, "75.0 %"]


def test_the_monthly_report_is_sent_once_per_month_and_recipient(house):
    director = MembershipFactory(structure=house, role=Role.DIRECTOR)
    MembershipFactory(structure=house, role=Role.REFERENT)
    f.many(house, 2)
    assert tasks.enqueue_monthly_reports(2025, 3) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0] == "rapport-2025-03.pdf"
    assert mail.outbox[0].attachments[0][1][:4] == b"%PDF"
    assert tasks.enqueue_monthly_reports(2025, 3) == 1
    assert len(mail.outbox) == 1
    assert MonthlyReportDispatch.objects.filter(membership=director).count() == 1
    assert monthly.send(director.pk, 2025, 4) is True
    assert len(mail.outbox) == 2


def test_a_reported_figure_is_stored_with_its_version_and_scope(house):
    f.many(house, 2)
    objective = f.objective(f.convention([house]), "accompanied")
    figure = services.report_figure(
        objective, objective.targets.get(), actor=Actor(UserFactory()), today=D(2025, 12, 31)
    )
    assert figure.value == Decimal(2) and figure.scope["structures"] == [house.pk]
    assert services.reproduce(figure) == 2


def test_the_monthly_command_enqueues_last_months_report(house):
    from io import StringIO

    from django.core.management import call_command

    MembershipFactory(structure=house, role=Role.DIRECTOR)
    out = StringIO()
    call_command("send_monthly_reports", mois="2025-03", stdout=out)
    assert "Rapport 03/2025 : 1 envoi(s)" in out.getvalue()
    assert len(mail.outbox) == 1
