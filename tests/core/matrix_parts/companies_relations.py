"""The permission matrix of the relationship journal and the needs (companies-relations).

Companies are the network's: every role that sees companies reads any company's journal (A's
and B's demo company alike), officers write it. A need is seen by the members of a structure
it is routed to (A's need is routed to A; B's to B only); the catalogue of subjects is the
Maison de l'Emploi administrator's.
"""

import datetime

from django.utils import timezone

from tests.companies.factories import ContactFactory, EstablishmentFactory, NeedSubjectFactory
from tests.core.matrix import A_ROLES, ADMIN, EVERYONE, Expect, get_only, post_only
from tisserand.companies import needs, satisfaction
from tisserand.companies.models import Establishment, Interaction, RoutingRule, SatisfactionRequest
from tisserand.core.actor import Actor
from tisserand.structures.roles import Role

NETWORK_COMPANY = "Atelier du réseau"
SEE = A_ROLES - {Role.FUNDER}
MANAGE = frozenset({Role.ADMIN, Role.BUSINESS, Role.CLAUSE_FACILITATOR})
FIGURES = MANAGE | {Role.DIRECTOR, Role.FUNDER}


def _of(name):
    return lambda demo: {"public_id": getattr(demo, name).public_id}


COMPANY = _of("relations_company")
NEED = _of("relations_need")
SUBJECT = lambda demo: {"pk": demo.need_subject.pk}  # noqa: E731

EXPECTED = {
    "companies:journal": get_only(SEE, kwargs=COMPANY),
    "companies:interaction_create": post_only(MANAGE, kwargs=COMPANY),
    "companies:next_action_done": post_only(MANAGE, kwargs=_of("interaction")),
    "companies:need_create": Expect(MANAGE, kwargs=COMPANY),
    "companies:needs_inbox": get_only(SEE),
    "companies:needs_figures": get_only(FIGURES),
    "companies:need_detail": get_only(SEE, kwargs=NEED),
    "companies:need_route": Expect(MANAGE, kwargs=NEED),
    "companies:assignment_answer": post_only(SEE, kwargs=_of("assignment")),
    "companies:satisfaction_answer": Expect(
        EVERYONE, other=EVERYONE, kwargs=lambda demo: {"token": demo.satisfaction_token}
    ),
    "companies:routing_rules": Expect(MANAGE),
    "companies:routing_rule_edit": Expect(MANAGE, kwargs=_of("routing_rule")),
    "companies:routing_rule_delete": post_only(MANAGE, kwargs=_of("routing_rule")),
    "companies:settings_subjects": Expect(ADMIN),
    "companies:settings_subject_edit": Expect(ADMIN, kwargs=SUBJECT),
    "companies:settings_subject_offer": post_only(ADMIN, kwargs=SUBJECT),
}


def build(demo):
    officer = demo.members[Role.BUSINESS]
    actor = Actor.of(officer)
    # The company and the catalogue are the network's: one for A and B.
    company = Establishment.objects.filter(name=NETWORK_COMPANY).first() or (
        EstablishmentFactory(name=NETWORK_COMPANY)
    )
    subject = NeedSubjectFactory(label="Recruter (réseau)")
    need = needs.record_need(company, data={"subject": subject}, actor=actor)
    (assignment,) = needs.route(need, data={"structures": [demo.structure]}, actor=actor)
    interaction = Interaction.objects.filter(
        establishment=company
    ).first() or Interaction.objects.create(
        establishment=company,
        kind="call",
        occurred_on=datetime.date(2025, 3, 3),
        summary="Appel",
        author=officer.user,
        next_action="Rappeler",
        next_action_on=datetime.date(2025, 3, 10),
    )
    rule = RoutingRule.objects.create(structure=demo.structure, label="Recrutement")
    rule.subjects.set([subject])
    # A closed need with its satisfaction question, whose token the URL carries.
    contact = ContactFactory(establishment=company)
    closed = needs.record_need(company, data={"subject": subject, "contact": contact}, actor=actor)
    token = f"jeton-{demo.structure.pk}-satisfaction"
    now = timezone.now()
    SatisfactionRequest.objects.create(
        need=closed,
        email=contact.email,
        token_digest=satisfaction.digest(token),
        sent_at=now,
        expires_at=now + datetime.timedelta(days=30),
    )
    return {
        "relations_company": company,
        "relations_need": need,
        "assignment": assignment,
        "interaction": interaction,
        "routing_rule": rule,
        "need_subject": subject,
        "satisfaction_token": token,
    }
