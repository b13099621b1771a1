"""The journal and needs pages through the views: who sees what, from both sides, and the
inbox's query count whatever the number of needs."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.companies.factories import ContactFactory, EstablishmentFactory, NeedSubjectFactory
from tests.companies.relations_factories import AssignmentFactory, RoutingRuleFactory
from tests.factories import MembershipFactory, StructureFactory
from tisserand.companies import needs, relations_demo, relations_sections, routing
from tisserand.companies.models import (
    AssignmentStatus,
    Interaction,
    Need,
    NeedAssignment,
    NeedStatus,
    NeedSubject,
)
from tisserand.core import records
from tisserand.core.actor import Actor
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return MembershipFactory(role=Role.BUSINESS)


@pytest.fixture
def company():
    return EstablishmentFactory(name="Textiles du Nord")


def _need(officer, company, *structures):
    need = needs.record_need(
        company, data={"subject": NeedSubjectFactory()}, actor=Actor.of(officer)
    )
    if structures:
        needs.route(need, data={"structures": list(structures)}, actor=Actor.of(officer))
    return need


def test_an_officer_logs_a_visit_on_the_journal(client_for, officer, company):
    contact = ContactFactory(establishment=company)
    response = client_for(officer).post(
        reverse("companies:interaction_create", args=[company.public_id]),
        {
            "kind": "visit",
            "occurred_on": "2026-11-20",
            "contact": contact.pk,
            "summary": "Visite du dépôt",
            "next_action": "Envoyer les CV",
            "next_action_on": "2026-12-10",
        },
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.author == officer.user and interaction.contact == contact
    page = client_for(officer).get(reverse("companies:journal", args=[company.public_id]))
    assert "Visite du dépôt" in page.content.decode()


def test_a_next_action_before_the_exchange_is_refused_in_french(client_for, officer, company):
    response = client_for(officer).post(
        reverse("companies:interaction_create", args=[company.public_id]),
        {"kind": "call", "occurred_on": "2026-11-20", "summary": "Appel", "next_action": "X",
         "next_action_on": "2026-11-01"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "ne peut pas précéder" in response.content.decode()
    assert not Interaction.objects.exists()


def test_a_referent_reads_the_journal_but_cannot_write_it(client_for, company):
    referent = MembershipFactory(role=Role.REFERENT)
    client = client_for(referent)
    assert client.get(reverse("companies:journal", args=[company.public_id])).status_code == 200
    url = reverse("companies:interaction_create", args=[company.public_id])
    assert client.post(url, {"kind": "call"}).status_code == 403


def test_a_partner_sees_only_the_needs_assigned_to_it(client_for, officer, company):
    partner = MembershipFactory(role=Role.PARTNER)
    routed = _need(officer, company, partner.structure)
    elsewhere = _need(officer, company, StructureFactory())
    client = client_for(partner)
    inbox = client.get(reverse("companies:needs_inbox")).content.decode()
    assert str(routed.public_id) in inbox and str(elsewhere.public_id) not in inbox
    assert client.get(reverse("companies:need_detail", args=[routed.public_id])).status_code == 200
    detail = reverse("companies:need_detail", args=[elsewhere.public_id])
    assert client.get(detail).status_code == 403
    # The officer who recorded both sees both.
    officer_inbox = client_for(officer).get(reverse("companies:needs_inbox")).content.decode()
    assert str(elsewhere.public_id) in officer_inbox


def test_a_funder_reads_counts_only(client_for, officer, company):
    funder = MembershipFactory(role=Role.FUNDER, structure__kind=StructureKind.FUNDER)
    need = _need(officer, company, funder.structure if False else StructureFactory())
    client = client_for(funder)
    assert client.get(reverse("companies:needs_inbox")).status_code == 403
    assert client.get(reverse("companies:need_detail", args=[need.public_id])).status_code == 403
    figures = client.get(reverse("companies:needs_figures"))
    assert figures.status_code == 200 and "Textiles du Nord" not in figures.content.decode()


def test_route_with_the_suggestion_then_the_partner_takes_it_in_charge(
    client_for, officer, company
):
    partner = MembershipFactory(role=Role.PARTNER, structure__name="Cap Entreprises")
    need = _need(officer, company)
    RoutingRuleFactory(structure=partner.structure, subjects=[need.subject])
    page = client_for(officer).get(reverse("companies:need_route", args=[need.public_id]))
    assert "Cap Entreprises" in page.content.decode()
    response = client_for(officer).post(
        reverse("companies:need_route", args=[need.public_id]),
        {"structures": [partner.structure.pk], "comment": "À rappeler vite"},
    )
    assert response.status_code == 302
    assignment = NeedAssignment.objects.get()
    response = client_for(partner).post(
        reverse("companies:assignment_answer", args=[assignment.public_id]), {"status": "taken"}
    )
    assert response.status_code == 302
    assert needs.status_of(need) == NeedStatus.TAKEN
    # The officer's structure is not the assigned one: it cannot answer for the partner.
    response = client_for(officer).post(
        reverse("companies:assignment_answer", args=[assignment.public_id]), {"status": "done"}
    )
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.TAKEN


def test_inbox_filters_and_query_count_independent_of_size(client_for, officer, company):
    client = client_for(officer)
    _need(officer, company, officer.structure)
    client.get(reverse("companies:needs_inbox"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("companies:needs_inbox")).status_code == 200
    for _ in range(15):
        _need(officer, EstablishmentFactory(), officer.structure, StructureFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("companies:needs_inbox"), {"status": "waiting"})
    assert response.status_code == 200 and len(response.context["needs"]) == 16
    assert len(many) <= len(few) + 1  # the filter's subject list


def test_routing_suggestion_follows_the_rules(company):
    subject = NeedSubjectFactory()
    need = Need.objects.create(establishment=company, subject=subject)
    match = RoutingRuleFactory(subjects=[subject])
    RoutingRuleFactory(subjects=[NeedSubjectFactory(label="Autre")])
    RoutingRuleFactory(subjects=[subject], headcount_bands=["21"])
    RoutingRuleFactory(subjects=[subject], min_age_years=3)  # creation date unknown
    RoutingRuleFactory(subjects=[subject], is_active=False)
    assert [s.structure for s in routing.suggest(need)] == [match.structure]


def test_the_company_sections(officer, company):
    partner = MembershipFactory(role=Role.PARTNER)
    _need(officer, company, partner.structure)
    _need(officer, company, StructureFactory())
    if "company" not in records.kinds:
        records.kinds.register(records.RecordKind("company", lambda m, r: None))
    context = records.RecordContext("company", company, partner)
    assert relations_sections.needs_visible(context)
    assert len(relations_sections.needs_context(context)["needs"]) == 1
    assert relations_sections.journal_context(context)["may_log"] is False
    funder = records.RecordContext("company", company, MembershipFactory(role=Role.FUNDER))
    assert not relations_sections.needs_visible(funder)
    assert not relations_sections.journal_visible(funder)


def test_the_catalogue_is_the_house_administrator_s(client_for):
    admin = MembershipFactory(role=Role.ADMIN, structure__kind=StructureKind.MAISON_EMPLOI)
    other_admin = MembershipFactory(role=Role.ADMIN)
    url = reverse("companies:settings_subjects")
    assert client_for(other_admin).get(url).status_code == 403
    response = client_for(admin).post(url, {"kind": "hr", "label": "Égalité pro", "order": 5})
    assert response.status_code == 302
    subject = NeedSubject.objects.get(label="Égalité pro")
    client_for(admin).post(
        reverse("companies:settings_subject_offer", args=[subject.pk]), {"proposer": "non"}
    )
    subject.refresh_from_db()
    assert not subject.is_active


def test_the_demo_seeds_needs_at_every_status_once():
    mde = StructureFactory(kind=StructureKind.MAISON_EMPLOI, is_demo=True)
    MembershipFactory(structure=mde, role=Role.BUSINESS)
    for _ in range(2):
        StructureFactory(is_demo=True)
    for _ in range(4):
        EstablishmentFactory()
    out = io.StringIO()
    relations_demo.seed(out)
    statuses = {need.computed_status for need in needs.with_status(Need.objects.all())}
    assert statuses == set(NeedStatus.values)
    count = Need.objects.count()
    relations_demo.seed(out)
    assert Need.objects.count() == count
    assert AssignmentFactory._meta.model.objects.filter(status="abandoned").exists()


def test_renaming_a_subject_keeps_its_code_and_the_loader_does_not_bring_it_back(client_for):
    from tisserand.companies import need_catalogue

    need_catalogue.load()
    admin = MembershipFactory(role=Role.ADMIN, structure__kind=StructureKind.MAISON_EMPLOI)
    subject = NeedSubject.objects.get(code="autre")
    response = client_for(admin).post(
        reverse("companies:settings_subject_edit", args=[subject.pk]),
        {"kind": "other", "label": "Autre demande", "order": 1},
    )
    assert response.status_code == 302
    assert need_catalogue.load() == 0
    subject.refresh_from_db()
    assert subject.label == "Autre demande" and subject.code == "autre"
    # A duplicate label is refused in French, and nothing changes.
    response = client_for(admin).post(
        reverse("companies:settings_subject_edit", args=[subject.pk]),
        {"kind": "other", "label": "aides à l'embauche", "order": 1},
    )
    assert response.status_code == 200 and "existe déjà" in response.content.decode()
    subject.refresh_from_db()
    assert subject.label == "Autre demande"


def test_the_home_card_counts_the_structure_s_waiting_assignments(client_for, officer, company):
    partner = MembershipFactory(role=Role.PARTNER)
    _need(officer, company, partner.structure)
    _need(officer, company, partner.structure)
    from tisserand.companies.relations_sections import waiting_figure

    assert waiting_figure(partner) == (2, "en attente de prise en charge")
    home = client_for(partner).get(reverse("core:home")).content.decode()
    assert "Besoins des entreprises" in home


def test_the_portal_reads_the_company_s_needs_with_their_status(officer, company):
    from tisserand.companies.needs import company_needs

    need = _need(officer, company, StructureFactory())
    assert [(n.pk, n.computed_status) for n in company_needs(company)] == [(need.pk, "waiting")]


def test_the_company_sections_render_for_an_officer_and_a_partner(officer, company):
    from tests.companies.relations_factories import InteractionFactory

    partner = MembershipFactory(role=Role.PARTNER)
    _need(officer, company, partner.structure)
    InteractionFactory(establishment=company, next_action="Rappeler", next_action_on=None)
    if "company" not in records.kinds:
        records.kinds.register(records.RecordKind("company", lambda m, r: None))
    for membership, can_write in ((officer, True), (partner, False)):
        context = records.RecordContext("company", company, membership)
        html = {
            section.key: text
            for section, text in context.rendered_sections()
            if section.key in ("journal", "needs")
        }
        assert "Recruter" in html["needs"] and "Visite de l" in html["journal"]
        assert ("Enregistrer un besoin" in html["needs"]) is can_write
        assert ("Noter un échange" in html["journal"]) is can_write


def test_a_funder_finds_the_figures_from_the_home_page(client_for):
    funder = MembershipFactory(role=Role.FUNDER, structure__kind=StructureKind.FUNDER)
    home = client_for(funder).get(reverse("core:home")).content.decode()
    assert reverse("companies:needs_figures") in home
    assert f'href="{reverse("companies:needs_inbox")}"' not in home


def test_a_wrong_satisfaction_link_answers_404_in_french(client):
    response = client.get(reverse("companies:satisfaction_answer", args=["jeton-inconnu"]))
    assert response.status_code == 404
    assert "pas valable" in response.content.decode()
    response = client.post(
        reverse("companies:satisfaction_answer", args=["jeton-inconnu"]),
        {"contacted": "oui", "useful": "oui"},
    )
    assert response.status_code == 404


def test_journal_rules(officer, company):
    import datetime

    from django.utils import timezone

    from tisserand.companies import journal
    from tisserand.companies.services import CompanyError

    actor = Actor.of(officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for data in (
        {"kind": "call", "occurred_on": tomorrow, "summary": "x"},
        {"kind": "call", "occurred_on": timezone.localdate(), "summary": "x",
         "next_action_on": tomorrow},
        {"kind": "call", "occurred_on": timezone.localdate(), "summary": "x",
         "contact": ContactFactory()},
    ):  # fmt: skip
        with pytest.raises(CompanyError):
            journal.log_interaction(company, data=data, actor=actor)
    assert not Interaction.objects.exists()
    interaction = journal.log_interaction(
        company,
        data={"kind": "visit", "occurred_on": timezone.localdate(), "summary": "Visite",
              "next_action": "Rappeler", "next_action_on": tomorrow},
        actor=actor,
    )  # fmt: skip
    journal.mark_next_action_done(interaction, actor=actor)
    with pytest.raises(CompanyError):
        journal.mark_next_action_done(interaction, actor=actor)
    from tisserand.companies import reminders

    assert not reminders.due_next_actions(timezone.now() + datetime.timedelta(days=3)).exists()
