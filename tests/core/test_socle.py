import json
import logging

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import MembershipFactory
from tisserand.core import timeline
from tisserand.core.access_log import log_record_access
from tisserand.core.logging import JsonFormatter
from tisserand.core.middleware import TRUSTED_VIEW_MODULES
from tisserand.core.models import RecordAccess, TimelineEvent
from tisserand.core.permissions import has_rule
from tisserand.structures.roles import Role


def _all_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _all_views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_view_declares_who_may_use_it():
    undeclared = [
        route
        for route, view in _all_views()
        if not has_rule(view) and not view.__module__.startswith(TRUSTED_VIEW_MODULES)
    ]
    assert undeclared == []


def test_a_view_without_rule_is_refused_even_to_an_admin(settings, client_for, make_member):
    settings.ROOT_URLCONF = "tests.core.urls_without_rule"
    response = client_for(make_member(Role.ADMIN)).get("/oubli/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_server_errors_get_a_french_page(settings, client):
    settings.ROOT_URLCONF = "tests.core.urls_without_rule"
    client.raise_request_exception = False
    response = client.get("/panne/")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


def test_not_found_page_is_french(client_for, make_member):
    response = client_for(make_member()).get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise RuntimeError("base injoignable")

    monkeypatch.setattr("tisserand.core.views.connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.parametrize("url_name", ["core:accessibility", "core:legal", "core:privacy"])
def test_footer_pages_are_public(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_layout_has_landmarks_skip_link_and_no_third_party_assets(client_for, make_member):
    html = client_for(make_member()).get(reverse("core:home")).content.decode()
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    for landmark in (
        'role="banner"',
        'role="main"',
        'role="contentinfo"',
        'aria-label="Menu principal"',
    ):
        assert landmark in html
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_security_headers(client):
    response = client.get(reverse("core:legal"))
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_form_posts_with_null_origin_pass_only_from_our_own_site(make_member):
    from django.test import Client

    membership = make_member(Role.ADMIN)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(membership.user)
    page = csrf_client.get(reverse("accounts:profile"))
    token = page.context["csrf_token"]
    data = {"first_name": "Anne", "last_name": "Nord", "csrfmiddlewaretoken": str(token)}
    same_site = csrf_client.post(
        reverse("accounts:profile"), data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert same_site.status_code == 302
    cross_site = csrf_client.post(
        reverse("accounts:profile"), data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert cross_site.status_code == 403


def test_timeline_records_changed_fields_with_labels(structure):
    member = MembershipFactory(structure=structure, role=Role.ADMIN)
    before = timeline.snapshot(structure, structure.TRACKED_FIELDS)
    structure.name = "Nouveau nom"
    structure.kind = "ccas"
    structure.save()
    event = timeline.record_changes(structure, before, actor=member.user, structure=structure)
    assert event.verb == TimelineEvent.Verb.CHANGED
    changes = {change["field"]: (change["before"], change["after"]) for change in event.changes}
    assert changes["nom"][1] == "Nouveau nom"
    assert changes["type"][1] == "CCAS"
    assert timeline.record_changes(structure, timeline.snapshot(structure, ["name"])) is None


def test_structure_edit_is_shown_in_its_history(client_for, make_member, structure):
    admin = make_member(Role.ADMIN, structure=structure)
    client = client_for(admin)
    url = reverse("structures:edit", args=[structure.public_id])
    data = {
        "name": "MDE Roubaix",
        "address_line": "2 rue Pierre Motte",
        "postal_code": "59100",
        "commune_name": "Roubaix",
        "commune_insee": "59512",
        "phone": "",
        "email": "",
    }
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("structures:detail", args=[structure.public_id])).content.decode()
    assert "Historique" in page and "2 rue Pierre Motte" in page and str(admin.user) in page


def test_structure_history_is_hidden_from_other_roles(client_for, make_member, structure):
    timeline.record_creation(structure)
    page = client_for(make_member(Role.REFERENT, structure=structure)).get(
        reverse("structures:detail", args=[structure.public_id])
    )
    assert page.context["events"] is None


def test_bad_structure_input_changes_nothing(client_for, make_member, structure):
    client = client_for(make_member(Role.ADMIN, structure=structure))
    data = {
        "name": "X",
        "address_line": "1 rue",
        "postal_code": "591",
        "commune_name": "Roubaix",
        "commune_insee": "ABCDE",
        "phone": "",
        "email": "pas-un-email",
    }
    response = client.post(reverse("structures:edit", args=[structure.public_id]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Code postal invalide" in errors["postal_code"][0]
    assert "Code commune INSEE invalide" in errors["commune_insee"][0]
    assert "email" in errors
    structure.refresh_from_db()
    assert structure.name != "X"
    assert not TimelineEvent.objects.filter(verb=TimelineEvent.Verb.CHANGED).exists()


def test_access_log_is_readable_by_the_owner_structures_admin_only(
    rf, client_for, make_member, structure, other_structure
):
    reader = make_member(Role.REFERENT, structure=structure)
    request = rf.get("/personnes/42/")
    request.user, request.membership = reader.user, reader
    log_record_access(request, reader.user, owner_structure=structure, label="Dossier de test")
    assert RecordAccess.objects.get().acting_structure == structure

    admin = make_member(Role.ADMIN, structure=structure)
    page = client_for(admin).get(reverse("structures:access_log", args=[structure.public_id]))
    assert "Dossier de test" in page.content.decode()

    other_admin = make_member(Role.ADMIN, structure=other_structure)
    own_log = client_for(other_admin).get(
        reverse("structures:access_log", args=[other_structure.public_id])
    )
    assert "Dossier de test" not in own_log.content.decode()


def test_access_log_page_query_count_does_not_grow(
    rf, client_for, make_member, structure, django_assert_max_num_queries
):
    admin = make_member(Role.ADMIN, structure=structure)
    client = client_for(admin)
    url = reverse("structures:access_log", args=[structure.public_id])
    request = rf.get("/")
    request.user, request.membership = admin.user, admin
    for n in range(30):
        log_record_access(request, admin.user, owner_structure=structure, label=f"Dossier {n}")
    with django_assert_max_num_queries(12):
        client.get(url)


def test_json_log_lines_carry_the_extra_fields():
    record = logging.makeLogRecord(
        {"msg": "request", "levelname": "INFO", "name": "t", "path": "/healthz", "status": 200}
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request" and line["path"] == "/healthz" and line["status"] == 200


def test_events_about_an_object_gather_what_other_objects_recorded(structure, other_structure):
    member = MembershipFactory(structure=structure, role=Role.ADMIN)
    timeline.record_creation(structure)
    timeline.record(
        other_structure,
        TimelineEvent.Verb.ACTION,
        "Action liée",
        about=structure,
        actor=member.user,
    )
    timeline.record_creation(other_structure)
    summaries = [event.summary for event in timeline.events_about(structure)]
    assert summaries[0] == "Action liée" and len(summaries) == 2


def test_expired_form_gets_a_french_page_and_changes_nothing(make_member):
    from django.test import Client

    membership = make_member(Role.ADMIN)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(membership.user)
    response = csrf_client.post(reverse("accounts:profile"), {"first_name": "Pirate"})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()
    membership.user.refresh_from_db()
    assert membership.user.first_name != "Pirate"


def test_password_reset_sends_a_link_by_email(client, make_member):
    from django.core import mail

    membership = make_member(Role.REFERENT)
    response = client.post(reverse("account_reset_password"), {"email": membership.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/compte/password/reset/key/" in mail.outbox[0].body


@pytest.mark.parametrize("url_name", ["core:home", "structures:members", "structures:directory"])
def test_socle_pages_query_count_does_not_grow_with_members(
    client_for, make_member, structure, url_name, django_assert_max_num_queries
):
    from tests.factories import StructureFactory

    admin = make_member(Role.ADMIN, structure=structure)
    client = client_for(admin)
    args = [structure.public_id] if url_name == "structures:members" else []
    url = reverse(url_name, args=args)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        MembershipFactory(structure=structure, role=Role.REFERENT)
        StructureFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


OBJECT_RULE_APPS = (
    "tisserand.people.",
    "tisserand.accompaniment.views",
    "tisserand.appointments.",
    "tisserand.guidance.views.person",
)


def test_views_about_one_object_declare_the_loader_of_their_rule():
    """A person's, an accompaniment's or an appointment's page loads its object in its rule,
    not in its body."""
    from tisserand.core.permissions import loader_of

    without_loader = [
        route
        for route, view in _all_views()
        if view.__module__.startswith(OBJECT_RULE_APPS)
        and "public_id>" in route
        and loader_of(view) is None
    ]
    assert without_loader == []
