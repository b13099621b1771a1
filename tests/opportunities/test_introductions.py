"""Introductions: consent first, one active proposal per person and offer, a cap per offer so
that a company is not flooded, the state machine with reasons, the company's personal link,
the three timelines, expiry after 30 days, and the hook the clauses app calls."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.companies.factories import NeedFactory, NeedSubjectFactory
from tests.opportunities.helpers import own_offer, publisher, territory
from tests.people.factories import PersonFactory, follow
from tisserand.companies import hooks as company_hooks
from tisserand.companies.models import NeedKind
from tisserand.core.actor import Actor
from tisserand.core.timeline import events_about
from tisserand.opportunities import services
from tisserand.opportunities.models import Introduction, IntroductionStatus, OfferStatus

S = IntroductionStatus


@pytest.fixture
def area():
    return territory()


@pytest.fixture
def offer(area, make_member, structure):
    return own_offer(publisher(make_member, structure), establishment=area["bakery"], positions=1)


@pytest.fixture
def actor(referent):
    return Actor.of(referent)


def propose(offer, person, actor, **data):
    return services.propose(offer, person, data={"consent": True, **data}, actor=actor)


def test_no_introduction_without_the_persons_consent(offer, person, actor):
    with pytest.raises(services.OpportunityError, match="accord de la personne"):
        services.propose(offer, person, data={"consent": False}, actor=actor)
    assert Introduction.objects.count() == 0


def test_a_proposal_is_on_the_person_the_company_and_the_offer_timelines(
    offer, person, actor, area
):
    introduction, token = propose(offer, person, actor)
    assert introduction.status == S.PROPOSED and introduction.consent_given_at
    assert len(token) > 30 and introduction.answer_digest == services.digest(token)
    for record in (person, area["bakery"], offer):
        assert any("Mise en relation proposée" in e.summary for e in events_about(record))


def test_one_active_proposal_per_person_and_offer(offer, person, actor):
    propose(offer, person, actor)
    with pytest.raises(services.OpportunityError, match="déjà proposée"):
        propose(offer, person, actor)
    assert Introduction.objects.count() == 1


def test_the_database_refuses_a_second_active_proposal(offer, person, actor):
    introduction, _ = propose(offer, person, actor)
    duplicate = Introduction(
        person=person,
        offer=offer,
        structure=introduction.structure,
        consent_given_at=timezone.now(),
        consent_text="oui",
        answer_digest="autre",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_after_a_final_answer_the_person_may_be_proposed_again(offer, person, actor):
    introduction, _ = propose(offer, person, actor)
    services.advance(introduction, data={"status": S.WITHDRAWN, "reason": "person"}, actor=actor)
    again, _ = propose(offer, person, actor)
    assert again.pk != introduction.pk


def test_a_company_is_not_flooded(offer, referent, actor, structure):
    cap = services.flood_cap(offer)
    for _ in range(cap):
        someone = PersonFactory(owner_structure=structure)
        follow(someone, referent)
        propose(offer, someone, actor)
    extra = PersonFactory(owner_structure=structure)
    with pytest.raises(services.OpportunityError, match="attendez les réponses"):
        propose(offer, extra, actor)
    assert Introduction.objects.count() == cap


def test_no_proposal_for_a_closed_offer(offer, person, actor, make_member, structure):
    services.close_offer(offer, data={}, actor=publisher(make_member, structure))
    with pytest.raises(services.OpportunityError, match="plus ouverte"):
        propose(offer, person, actor)


def test_the_states_and_their_reasons(offer, person, actor, area):
    introduction, _ = propose(offer, person, actor)
    introduction = services.advance(introduction, data={"status": S.SENT}, actor=actor)
    assert introduction.sent_at is not None
    with pytest.raises(services.OpportunityError, match="date de l'entretien"):
        services.advance(introduction, data={"status": S.INTERVIEW}, actor=actor)
    introduction = services.advance(
        introduction, data={"status": S.INTERVIEW, "interview_on": date(2026, 12, 10)}, actor=actor
    )
    with pytest.raises(services.OpportunityError, match="motif"):
        services.advance(introduction, data={"status": S.NOT_RETAINED}, actor=actor)
    introduction = services.advance(
        introduction, data={"status": S.NOT_RETAINED, "reason": "experience"}, actor=actor
    )
    assert introduction.reason_label == "Expérience insuffisante"
    with pytest.raises(services.OpportunityError, match="Passage impossible"):
        services.advance(introduction, data={"status": S.HIRED}, actor=actor)
    steps = list(introduction.steps.values_list("to_status", flat=True))
    assert steps == [S.PROPOSED, S.SENT, S.INTERVIEW, S.NOT_RETAINED]
    summaries = [e.summary for e in events_about(area["bakery"])]
    assert any("Entretien prévu" in s and "10/12/2026" in s for s in summaries)
    assert any("Expérience insuffisante" in s for s in summaries)


def test_the_database_refuses_a_refusal_without_reason(offer, person, actor):
    introduction, _ = propose(offer, person, actor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Introduction.objects.filter(pk=introduction.pk).update(status=S.NOT_RETAINED, reason="")


def test_the_company_answers_through_its_link(offer, person, actor):
    introduction, token = propose(offer, person, actor)
    assert services.company_introduction("faux") is None
    services.company_answer(token, data={"status": S.INTERVIEW, "interview_on": date(2026, 12, 9)})
    introduction.refresh_from_db()
    assert introduction.status == S.INTERVIEW
    assert list(introduction.steps.values_list("by_company", flat=True)) == [False, True, True]
    with pytest.raises(services.OpportunityError, match="pas proposée à l'entreprise"):
        services.advance(
            introduction, data={"status": S.WITHDRAWN, "reason": "person"}, by_company=True
        )
    services.company_answer(token, data={"status": S.HIRED})
    assert Introduction.objects.get().status == S.HIRED


def test_a_hire_calls_the_people_hook(offer, person, actor, monkeypatch):
    calls = []
    from tisserand.people import hooks as people_hooks

    monkeypatch.setitem(
        people_hooks.hooks._providers,
        people_hooks.HIRE_RECORDED,
        lambda person, **kw: calls.append((person, kw["contract_type"])),
    )
    introduction, _ = propose(offer, person, actor)
    services.advance(introduction, data={"status": S.HIRED}, actor=actor)
    assert calls == [(person, "")]


def test_unanswered_introductions_expire_after_30_days(offer, person, actor):
    introduction, _ = propose(offer, person, actor)
    services.advance(introduction, data={"status": S.SENT}, actor=actor)
    later = timezone.now() + timedelta(days=24)
    assert list(services.due_reminders(later)) == [introduction]
    assert services.send_reminders(later) == 1
    assert services.send_reminders(later) == 0
    assert "sans réponse" in mail.outbox[0].subject
    assert services.expire_introductions(timezone.now() + timedelta(days=29)) == 0
    assert services.expire_introductions(timezone.now() + timedelta(days=31)) == 1
    assert Introduction.objects.get().status == S.EXPIRED


def test_the_companies_hook_proposes_for_a_recruitment_need(area, person, actor):
    need = NeedFactory(establishment=area["bakery"])
    introduction = company_hooks.propose_candidate(
        need, person, actor=actor, consent_text="Accord donné par téléphone."
    )
    assert introduction.need == need and introduction.establishment == area["bakery"]
    hr = NeedFactory(
        establishment=area["bakery"], subject=NeedSubjectFactory(label="RH", kind=NeedKind.HR)
    )
    with pytest.raises(services.OpportunityError, match="besoin de recrutement"):
        company_hooks.propose_candidate(hr, person, actor=actor, consent_text="oui")
    with pytest.raises(services.OpportunityError, match="accord"):
        company_hooks.propose_candidate(need, person, actor=actor, consent_text="")


def test_an_offer_from_a_recruitment_need(area, make_member, structure):
    need = NeedFactory(establishment=area["bakery"])
    offer = services.offer_from_need(
        need, data={"title": "Vendeur", "positions": 2}, actor=publisher(make_member, structure)
    )
    assert offer.from_need == need and offer.establishment == area["bakery"]
    hr = NeedFactory(
        establishment=area["bakery"], subject=NeedSubjectFactory(label="RH", kind=NeedKind.HR)
    )
    with pytest.raises(services.OpportunityError, match="besoin de recrutement"):
        services.offer_from_need(
            hr, data={"title": "X", "positions": 1}, actor=publisher(make_member, structure)
        )


def test_offer_rules(area, make_member, structure):
    actor = publisher(make_member, structure)
    with pytest.raises(services.OpportunityError, match="nombre de postes"):
        own_offer(actor, positions=0)
    with pytest.raises(services.OpportunityError, match="fin de publication"):
        own_offer(actor, expires_on=date(2020, 1, 1))
    offer = own_offer(actor, appellation=area["boulanger"], commune=area["roubaix"])
    assert offer.fiche == area["boulanger"].fiche and offer.latitude == area["roubaix"].latitude
    services.update_offer(offer, data={"title": "Boulanger de nuit", "positions": 3}, actor=actor)
    assert any(e.summary.startswith("Modification : intitulé") for e in events_about(offer))
    services.close_offer(offer, data={"reason": "pourvue"}, actor=actor)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CLOSED and offer.closing_reason == "pourvue"
    with pytest.raises(services.OpportunityError, match="déjà clôturée"):
        services.close_offer(offer, data={}, actor=actor)


def test_expired_offers_leave_the_search_and_stay(area, make_member, structure):
    offer = own_offer(publisher(make_member, structure), expires_on=timezone.localdate())
    assert services.expire_offers(timezone.localdate() + timedelta(days=1)) == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED and offer.closed_at
    from tisserand.opportunities.models import JobOffer

    assert not JobOffer.objects.searchable().exists() and JobOffer.objects.count() == 1


def test_a_hire_is_reported_on_the_persons_open_accompaniment(offer, person, actor):
    from tests.accompaniment.factories import AccompanimentFactory, programme
    from tests.factories import UserFactory

    offer.contract_type = "CDI"
    offer.save()
    accompaniment = AccompanimentFactory(
        person=person,
        structure=person.owner_structure,
        programme=programme(),
        entry_date=timezone.localdate() - timedelta(days=90),
        referent=UserFactory(),
    )
    introduction, _ = propose(offer, person, actor)
    services.advance(introduction, data={"status": S.HIRED}, actor=actor)
    accompaniment.refresh_from_db()
    assert accompaniment.hire_reported_on == timezone.localdate()
    assert accompaniment.hire_reported_contract == "CDI"
    assert accompaniment.status == "open"
