"""Every URL of the project × every role of structure A, anonymous and a user with no
membership, on A's objects and on B's: allowed or denied, as the table ``EXPECTED`` says.

The URLs come from the URL configuration (``get_resolver()``), so a new view fails
``test_every_url_is_declared`` until it is written into the table. The table is written by
hand from what each role is for; it does not call the rules it checks.

The demo objects (one of each kind in A and in B) are built once for the module inside a
transaction rolled back at its end; each request runs in a savepoint rolled back after it, so
an allowed empty POST changes nothing for the next case. A denied POST must write no row.
"""

import datetime
from http.cookies import SimpleCookie
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.accompaniment.factories import appellation
from tests.appointments.factories import AppointmentFactory
from tests.core import matrix_parts
from tests.core.matrix import (
    A_ROLES,
    ACCOMPANIMENT,
    ACTORS,
    ADMIN,
    ANONYMOUS,
    APPOINTMENT,
    CARE,
    COLLEAGUE,
    EDIT_PERSON,
    EVERYONE,
    FICHE,
    FOLLOW_OR_OVERSEE,
    HANDLE_CONTACT_REQUESTS,
    LOGGED_IN,
    LONER,
    OPEN_COLLEAGUE_AGENDA,
    PDF,
    PERSON,
    PERSON_ID,
    PROGRAMME,
    SEE_PERSON,
    SEE_PERSONAL_DATA,
    STRUCTURE,
    SUGGESTION,
    USE_GUIDANCE,
    Expect,
    _accompaniment_with,
    _of,
    _person_with,
    get_only,
    post_only,
)
from tests.factories import MembershipFactory, StructureFactory, UserFactory
from tests.guidance.helpers import make_training
from tests.http import release
from tests.people.factories import ConsentFactory, PersonFactory, follow
from tests.referentials.geo.factories import make_commune
from tisserand.accompaniment import services as accompaniment_services
from tisserand.accompaniment.models import PlanAction, Programme, SuggestedAction
from tisserand.appointments import feeds
from tisserand.core import documents
from tisserand.core.actor import Actor
from tisserand.guidance.models import ContactRequest, GuidanceProfile, GuidanceTarget
from tisserand.people.models import FollowUpRole, PublicStatus, PublicStatusKind
from tisserand.referentials.vocabularies.loading import load_vocabularies
from tisserand.structures.models import Invitation, StructureKind
from tisserand.structures.roles import Role

CORE_EXPECTED = {
    # Socle
    "core:home": Expect(LOGGED_IN),
    "core:healthz": Expect(EVERYONE),
    "core:picker": Expect(A_ROLES, kwargs=lambda demo: {"name": "commune"}),
    "core:accessibility": Expect(EVERYONE),
    "core:legal": Expect(EVERYONE),
    "core:privacy": Expect(EVERYONE),
    "accounts:profile": Expect(LOGGED_IN),
    # Structures
    "structures:directory": Expect(A_ROLES),
    "structures:detail": Expect(A_ROLES, other=A_ROLES, kwargs=STRUCTURE),
    "structures:edit": Expect(ADMIN, kwargs=STRUCTURE),
    "structures:members": Expect(SEE_PERSONAL_DATA, kwargs=STRUCTURE),
    "structures:invite": Expect(ADMIN, kwargs=STRUCTURE),
    "structures:deactivate": post_only(
        ADMIN,
        kwargs=lambda demo: {
            "public_id": demo.structure.public_id,
            "membership_id": demo.colleague.public_id,
        },
    ),
    "structures:revoke_invitation": post_only(
        ADMIN,
        kwargs=lambda demo: {
            "public_id": demo.structure.public_id,
            "invitation_id": demo.invitation.public_id,
        },
    ),
    "structures:access_log": Expect(ADMIN, kwargs=STRUCTURE),
    "structures:access_log_export": Expect(ADMIN, kwargs=STRUCTURE),
    "structures:switch": post_only(LOGGED_IN),
    # The invitation's secret token is the right to open it, whoever follows the link.
    "structures:accept_invitation": Expect(
        EVERYONE, other=EVERYONE, kwargs=lambda demo: {"token": demo.invitation.token}
    ),
    # Referentials
    "geo:search": Expect(A_ROLES),
    "geo:commune": Expect(A_ROLES, kwargs=lambda demo: {"insee_code": demo.commune.insee_code}),
    "rome:search": Expect(A_ROLES),
    "rome:fiche": Expect(A_ROLES, kwargs=FICHE),
    "trainings:search": Expect(A_ROLES),
    "trainings:detail": Expect(A_ROLES, kwargs=_of("training")),
    "vocabularies:list": Expect(A_ROLES),
    # Persons
    "people:list": Expect(SEE_PERSONAL_DATA),
    "people:create": Expect(SEE_PERSONAL_DATA),
    "people:detail": Expect(SEE_PERSON, kwargs=PERSON),
    "people:edit": Expect(EDIT_PERSON, kwargs=PERSON),
    "people:statuses": Expect(SEE_PERSON, kwargs=PERSON),
    "people:status_edit": Expect(
        EDIT_PERSON, kwargs=_person_with(lambda demo: {"status_id": demo.status.pk})
    ),
    "people:consents": Expect(SEE_PERSON, kwargs=PERSON),
    "people:qpv_history": Expect(SEE_PERSON, kwargs=PERSON),
    "people:qpv_attestation": Expect(EDIT_PERSON, kwargs=PERSON),
    "people:documents": Expect(SEE_PERSON, kwargs=PERSON),
    "core:document": Expect(SEE_PERSON, kwargs=_of("document")),
    "people:consent_withdraw": post_only(
        EDIT_PERSON, kwargs=_person_with(lambda demo: {"consent_id": demo.consent.pk})
    ),
    "people:notes": Expect(CARE, kwargs=PERSON),
    "people:hold_place": Expect(ADMIN, kwargs=PERSON),
    "people:hold_lift": post_only(ADMIN, kwargs=PERSON),
    "people:merge": Expect(EDIT_PERSON, kwargs=PERSON),
    "people:merge_confirm": Expect(
        EDIT_PERSON, kwargs=_person_with(lambda demo: {"other_id": demo.duplicate.public_id})
    ),
    # Accompaniment
    "accompaniment:caseload": Expect(FOLLOW_OR_OVERSEE),
    "accompaniment:caseload_export": Expect(FOLLOW_OR_OVERSEE),
    "accompaniment:open": Expect(EDIT_PERSON, kwargs=PERSON_ID),
    "accompaniment:detail": Expect(SEE_PERSON, kwargs=ACCOMPANIMENT),
    "accompaniment:team": Expect(EDIT_PERSON, kwargs=ACCOMPANIMENT),
    "accompaniment:team_remove": post_only(
        EDIT_PERSON, kwargs=_accompaniment_with(lambda demo: {"member_id": demo.team_member.pk})
    ),
    "accompaniment:transfer": Expect(EDIT_PERSON, kwargs=ACCOMPANIMENT),
    # Read by whoever sees the accompaniment, changed by its editors.
    "accompaniment:diagnosis": Expect(SEE_PERSON, post=EDIT_PERSON, kwargs=ACCOMPANIMENT),
    "accompaniment:project": Expect(EDIT_PERSON, kwargs=ACCOMPANIMENT),
    "accompaniment:plan": Expect(SEE_PERSON, post=EDIT_PERSON, kwargs=ACCOMPANIMENT),
    "accompaniment:objective_status": post_only(
        EDIT_PERSON,
        kwargs=_accompaniment_with(lambda demo: {"objective_id": demo.objective.public_id}),
    ),
    "accompaniment:action_create": Expect(
        EDIT_PERSON,
        kwargs=_accompaniment_with(lambda demo: {"objective_id": demo.objective.public_id}),
    ),
    "accompaniment:action_edit": Expect(
        EDIT_PERSON, kwargs=_accompaniment_with(lambda demo: {"action_id": demo.action.public_id})
    ),
    "accompaniment:exit": Expect(EDIT_PERSON, kwargs=ACCOMPANIMENT),
    "accompaniment:follow_up": Expect(EDIT_PERSON, kwargs=_of("closed_accompaniment")),
    # Paramétrage: the network's lists, the administrator of a Maison de l'Emploi (A is one).
    "accompaniment:settings_programmes": Expect(ADMIN),
    "accompaniment:settings_programme_edit": Expect(ADMIN, kwargs=PROGRAMME),
    "accompaniment:settings_programme_offer": post_only(ADMIN, kwargs=PROGRAMME),
    "accompaniment:settings_programme_delete": Expect(ADMIN, kwargs=PROGRAMME),
    "accompaniment:settings_suggested_actions": Expect(ADMIN),
    "accompaniment:settings_suggested_action_edit": Expect(ADMIN, kwargs=SUGGESTION),
    "accompaniment:settings_suggested_action_delete": Expect(ADMIN, kwargs=SUGGESTION),
    # Appointments
    "appointments:agenda": get_only(SEE_PERSONAL_DATA),
    "appointments:feed_issue": post_only(SEE_PERSONAL_DATA),
    "appointments:feed_revoke": post_only(SEE_PERSONAL_DATA),
    # The feed's secret token is the right to read it (calendar software cannot log in).
    "appointments:feed": get_only(
        EVERYONE, other=EVERYONE, kwargs=lambda demo: {"token": demo.feed_token}
    ),
    "appointments:book": Expect(EDIT_PERSON, kwargs=PERSON_ID),
    # A's référent has the colleague in the team of the person they follow; A's director
    # opens every agenda of the structure.
    "appointments:colleague_agenda": get_only(OPEN_COLLEAGUE_AGENDA, kwargs=COLLEAGUE),
    "appointments:book_in_agenda": Expect(
        OPEN_COLLEAGUE_AGENDA,
        kwargs=COLLEAGUE,
        query=lambda demo: f"?personne={demo.person.public_id}",
    ),
    "appointments:detail": get_only(SEE_PERSON, kwargs=APPOINTMENT),
    "appointments:edit": Expect(EDIT_PERSON, kwargs=APPOINTMENT),
    "appointments:cancel": post_only(EDIT_PERSON, kwargs=APPOINTMENT),
    "appointments:attendance": post_only(EDIT_PERSON, kwargs=APPOINTMENT),
    "appointments:export": get_only(SEE_PERSON, kwargs=APPOINTMENT),
    # Guidance: the public self-service pages
    "guidance:explore": Expect(EVERYONE),
    "guidance:results": Expect(EVERYONE),
    "guidance:target": Expect(EVERYONE, kwargs=FICHE),
    "guidance:synthesis": Expect(EVERYONE),
    "guidance:synthesis_pdf": Expect(EVERYONE),
    "guidance:contact": Expect(EVERYONE),
    "guidance:public_picker": Expect(EVERYONE, kwargs=lambda demo: {"name": "commune-public"}),
    "guidance:reconversion": Expect(EVERYONE),
    # Guidance for members
    "guidance:hub": Expect(USE_GUIDANCE),
    "guidance:collective": Expect(USE_GUIDANCE),
    "guidance:contact_requests": Expect(HANDLE_CONTACT_REQUESTS),
    "guidance:contact_request_assign": post_only(
        HANDLE_CONTACT_REQUESTS, kwargs=_of("contact_request")
    ),
    "guidance:contact_request_person": Expect(
        HANDLE_CONTACT_REQUESTS, kwargs=_of("contact_request")
    ),
    "guidance:contact_request_handled": post_only(
        HANDLE_CONTACT_REQUESTS, kwargs=_of("contact_request")
    ),
    "guidance:person": Expect(SEE_PERSON, kwargs=PERSON),
    "guidance:person_profile": Expect(EDIT_PERSON, kwargs=PERSON),
    "guidance:person_target": Expect(
        SEE_PERSON, kwargs=_person_with(lambda demo: {"code": demo.fiche.code})
    ),
    "guidance:person_retain": post_only(EDIT_PERSON, kwargs=PERSON),
    "guidance:person_withdraw": post_only(
        EDIT_PERSON, kwargs=_person_with(lambda demo: {"target_id": demo.target.public_id})
    ),
    "guidance:person_synthesis_pdf": Expect(SEE_PERSON, kwargs=PERSON),
}


def _with_parts(core):
    table = dict(core)
    for part in matrix_parts.parts():
        twice = sorted(set(table) & set(part.EXPECTED))
        assert twice == [], f"URL déclarée deux fois dans la matrice : {twice}"
        table.update(part.EXPECTED)
    return table


EXPECTED = _with_parts(CORE_EXPECTED)

# allauth's own pages (log in, password, two-factor…): classified once. Every one of them
# answers every visitor without a server error and is never refused by the default-deny rule.
ACCOUNT_PAGES = "allauth."
ACCOUNT_KWARGS = {"key": "cle-inconnue", "uidb36": "0"}


# --- The URL configuration --------------------------------------------------------------------


def _walk(resolver, namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name]))
            yield name, pattern


URLS = dict(_walk(get_resolver()))
ACCOUNT_URLS = sorted(
    name for name, pattern in URLS.items() if pattern.callback.__module__.startswith(ACCOUNT_PAGES)
)
PROJECT_URLS = sorted(set(URLS) - set(ACCOUNT_URLS))


# --- The demo objects of structures A and B, and one client per actor -------------------------


def _shared_objects():
    """The referentials and the network's lists, the same for every structure."""
    fiche = appellation().fiche
    return {
        "fiche": fiche,
        "programme": Programme.objects.order_by("pk").first(),
        "suggestion": SuggestedAction.objects.order_by("pk").first(),
        "commune": make_commune("59512", "Roubaix", postal_codes=["59100"]),
        "training": make_training(fiche.code),
    }


def _demo_structure(name, shared):
    demo = _core_demo_structure(name, shared)
    matrix_parts.build_all(demo)
    return demo


def _core_demo_structure(name, shared):
    structure = StructureFactory(name=name, kind=StructureKind.MAISON_EMPLOI)
    members = {role: MembershipFactory(structure=structure, role=role) for role in Role}
    referent = members[Role.REFERENT]
    actor = Actor.of(referent)
    programme = shared["programme"]
    person = PersonFactory(owner_structure=structure)
    duplicate = PersonFactory(
        owner_structure=structure, first_name=person.first_name, last_name=person.last_name
    )
    follow(duplicate, referent)
    accompaniment = accompaniment_services.open_accompaniment(
        person,
        programme=programme,
        referent=referent.user,
        entry_date=datetime.date(2025, 1, 6),
        actor=actor,
    )
    colleague = MembershipFactory(structure=structure, role=Role.REFERENT)
    objective = accompaniment_services.add_objective(
        accompaniment, theme="health", label="Santé", actor=actor
    )
    closed = accompaniment_services.open_accompaniment(
        PersonFactory(owner_structure=structure),
        programme=programme,
        referent=referent.user,
        entry_date=datetime.date(2025, 1, 6),
        actor=actor,
    )
    accompaniment_services.record_exit(
        closed, exit_date=datetime.date(2025, 3, 3), exit_type="inactive", actor=actor
    )
    fiche = shared["fiche"]
    return SimpleNamespace(
        **shared,
        structure=structure,
        members=members,
        colleague=colleague,
        person=person,
        duplicate=duplicate,
        accompaniment=accompaniment,
        closed_accompaniment=closed,
        document=documents.attach(
            person,
            SimpleUploadedFile("attestation.pdf", PDF, content_type="application/pdf"),
            actor=actor,
            label="Attestation",
        ),
        objective=objective,
        action=accompaniment_services.add_action(
            objective,
            PlanAction(action_type="digital_support", label="Atelier", partner_name="CCAS"),
            actor=actor,
        ),
        team_member=accompaniment_services.add_team_member(
            accompaniment,
            user=colleague.user,
            structure=structure,
            role=FollowUpRole.TEAM,
            actor=actor,
        ),
        status=PublicStatus.objects.create(
            person=person, kind=PublicStatusKind.RSA, valid_from=datetime.date(2025, 1, 1)
        ),
        consent=ConsentFactory(
            person=person, structure=StructureFactory(name=f"Partenaire {name}")
        ),
        appointment=AppointmentFactory(
            person=person, counsellor=referent.user, structure=structure
        ),
        profile=GuidanceProfile.objects.create(person=person),
        target=GuidanceTarget.objects.create(
            person=person, fiche=fiche, score_percent=80, structure=structure
        ),
        contact_request=ContactRequest.objects.create(
            structure=structure,
            first_name="Inès",
            preferred_means="email",
            email="ines@exemple.invalid",
            consent_text="J'accepte d'être contactée.",
            consented_at=timezone.now(),
        ),
        invitation=Invitation.objects.create(
            structure=structure,
            email=f"invitee@{structure.pk}.exemple.invalid",
            first_name="Léon",
            last_name="Invité",
            role=Role.REFERENT,
        ),
        feed_token=feeds.issue(referent.user),
    )


def _client_for(membership=None, user=None):
    client = Client()
    if membership is not None:
        client.force_login(membership.user)
        session = client.session
        session["current_membership"] = str(membership.public_id)
        session.save()
    elif user is not None:
        client.force_login(user)
    return client


ROWS_WRITTEN = {
    "sqlite": "SELECT total_changes()",
    "postgresql": "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
    " FROM pg_stat_xact_user_tables",
}


def _rows_written():
    """How many rows the connection has written so far (any table), to check that a refused
    POST wrote none."""
    with connection.cursor() as cursor:
        cursor.execute(ROWS_WRITTEN[connection.vendor])
        return cursor.fetchone()[0]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # The idle timeout saves the session on every request: not here, so that a refused POST
    # is seen to write no row at all.
    with django_db_blocker.unblock(), override_settings(SESSION_SAVE_EVERY_REQUEST=False):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_vocabularies()
            if not Programme.objects.exists():
                Programme.objects.create(code="reinforced", label="Accompagnement renforcé")
            if not SuggestedAction.objects.exists():
                SuggestedAction.objects.create(
                    theme="health", action_type="health_check", label="Bilan de santé"
                )
            shared = _shared_objects()
            own = _demo_structure("Structure A", shared)
            other = _demo_structure("Structure B", shared)
            clients = {role: _client_for(own.members[role]) for role in Role}
            clients[ANONYMOUS] = Client()
            clients[LONER] = _client_for(user=UserFactory())
            yield SimpleNamespace(own=own, other=other, clients=clients)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- Asking ----------------------------------------------------------------------------------

ALLOWED, DENIED = "allowed", "denied"
LOGIN_URL = reverse("account_login")


def _outcome(response):
    status = response.status_code
    if status in (403, 404, 405) or (status == 302 and response.url.startswith(LOGIN_URL)):
        return DENIED
    # The view ran: 400, the public guidance pages refuse a missing profile token; 503, the
    # guidance referential is missing (not loaded in this test).
    if status in (200, 302, 400, 503):
        return ALLOWED
    return f"HTTP {status}"


def _ask(world, actor, method, url):
    """One request, rolled back; for a refused POST, also whether the data changed."""
    client = world.clients[actor]
    cookies = SimpleCookie(client.cookies)
    cache.clear()
    with transaction.atomic():
        written = _rows_written()
        response = getattr(client, method)(url)
        release(response)  # a served file (a supporting document) releases its handle
        outcome = _outcome(response)
        if method == "post" and outcome == DENIED and _rows_written() != written:
            outcome = "denied but changed data"
        transaction.set_rollback(True)
    client.cookies = cookies
    return outcome


def _cases(world, name):
    """(label, actor, method, url, expected outcome) of one URL."""
    expect = EXPECTED[name]
    own, other = world.own, world.other
    variants = [("A", own, expect.get, expect.post_allowed)]
    if expect.kwargs(other) != expect.kwargs(own) or expect.query(other) != expect.query(own):
        variants.append(("B", other, expect.other, expect.other & expect.post_allowed))
    for label, demo, get_allowed, post_allowed in variants:
        url = reverse(name, kwargs=expect.kwargs(demo)) + expect.query(demo)
        for actor in ACTORS:
            for method, allowed in (("get", get_allowed), ("post", post_allowed)):
                yield label, actor, method, url, ALLOWED if actor in allowed else DENIED


def test_every_url_is_declared():
    undeclared = sorted(set(PROJECT_URLS) - set(EXPECTED))
    assert undeclared == [], f"URL absente du tableau EXPECTED : {undeclared}"
    assert sorted(set(EXPECTED) - set(PROJECT_URLS)) == [], "URL déclarée qui n'existe plus"


@pytest.mark.parametrize("name", PROJECT_URLS)
def test_url_matrix(world, name):
    if name not in EXPECTED:
        pytest.fail(f"{name} n'est pas dans le tableau EXPECTED : déclarez qui peut l'ouvrir.")
    wrong = [
        f"{actor} {method.upper()} {url} (objets de {label}) : {got}, attendu {expected}"
        for label, actor, method, url, expected in _cases(world, name)
        if (got := _ask(world, actor, method, url)) != expected
    ]
    assert wrong == []


# allauth's own templates (not overridden here: e-mail addresses, MFA index…) read variables
# they leave unset; strictness is for the project's templates, tested everywhere else.
@pytest.mark.ignore_template_errors
@pytest.mark.parametrize("name", ACCOUNT_URLS)
def test_account_pages_answer_everyone(world, name):
    pattern = URLS[name]
    kwargs = {key: ACCOUNT_KWARGS[key] for key in pattern.pattern.regex.groupindex}
    url = reverse(name, kwargs=kwargs)
    answers = {actor: _account_answer(world, actor, url) for actor in ACTORS}
    assert {
        actor: status for actor, status in answers.items() if status >= 500 or status == 403
    } == {}


def _account_answer(world, actor, url):
    client = world.clients[actor]
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        status = client.get(url).status_code
        transaction.set_rollback(True)
    client.cookies = cookies
    return status


def test_the_matrix_counts_its_cases(world, capsys):
    cases = [case for name in PROJECT_URLS for case in _cases(world, name)]
    on_other = sum(1 for label, *_ in cases if label == "B")
    accounts = len(ACCOUNT_URLS) * len(ACTORS)
    with capsys.disabled():
        print(
            f"\nMatrice des permissions : {len(cases)} cas sur {len(PROJECT_URLS)} URL "
            f"({on_other} sur les objets de B) + {accounts} cas sur {len(ACCOUNT_URLS)} pages "
            "de compte"
        )
    # Every URL is asked by every actor in GET and POST, at least on A's objects.
    assert len(cases) >= len(PROJECT_URLS) * len(ACTORS) * 2
    assert on_other > 0
