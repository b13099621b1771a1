"""The « Paramétrage » pages of the accompaniment: programmes and suggested actions, set by the
administrator of a Maison de l'Emploi only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accompaniment.conftest import ENTRY
from tests.accompaniment.factories import AccompanimentFactory, programme
from tests.factories import StructureFactory
from tisserand.accompaniment import services, settings_services
from tisserand.accompaniment.forms import OpenAccompanimentForm
from tisserand.accompaniment.models import PlanAction, Programme, SuggestedAction
from tisserand.accompaniment.services import AccompanimentError
from tisserand.core import timeline
from tisserand.core.actor import Actor
from tisserand.structures.models import StructureKind
from tisserand.structures.roles import Role

PROGRAMMES_URL = reverse("accompaniment:settings_programmes")
SUGGESTIONS_URL = reverse("accompaniment:settings_suggested_actions")
NEW_PROGRAMME = {
    "code": "clause_locale",
    "label": "Parcours clause locale",
    "description": "Dispositif local de la métropole.",
    "order": "60",
}
NEW_SUGGESTION = {
    "theme": "mobility",
    "action_type": "mobility_aid",
    "label": "Prêt d'un vélo électrique",
    "order": "50",
}


@pytest.fixture
def mde():
    return StructureFactory(kind=StructureKind.MAISON_EMPLOI, name="Maison de l'Emploi de test")


@pytest.fixture
def mde_admin(make_member, mde):
    return make_member(Role.ADMIN, mde)


@pytest.fixture
def as_admin(client_for, mde_admin):
    return client_for(mde_admin)


def _setting_urls():
    suggestion = SuggestedAction.objects.first()
    plie = programme("plie")
    return [
        PROGRAMMES_URL,
        reverse("accompaniment:settings_programme_edit", args=[plie.pk]),
        reverse("accompaniment:settings_programme_offer", args=[plie.pk]),
        reverse("accompaniment:settings_programme_delete", args=[plie.pk]),
        SUGGESTIONS_URL,
        reverse("accompaniment:settings_suggested_action_edit", args=[suggestion.pk]),
        reverse("accompaniment:settings_suggested_action_delete", args=[suggestion.pk]),
    ]


def _field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def _assert_refused(client, url, data, field, message, model):
    """The French error shows next to the field (tied to it) and no row is added."""
    count = model.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert any(message in error for error in _field_errors(response, field))
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert model.objects.count() == count


def _offered_labels(membership):
    form = OpenAccompanimentForm(membership=membership)
    return [label for _, label in form.fields["programme"].choices]


# --- Who ---------------------------------------------------------------------------------------


def test_mde_administrator_opens_every_page(as_admin):
    for url in _setting_urls():
        if url.endswith("/proposer/"):
            continue  # POST only
        assert as_admin.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.ADMIN, StructureKind.MISSION_LOCALE),
        (Role.ADMIN, StructureKind.PLIE),
        (Role.REFERENT, StructureKind.MAISON_EMPLOI),
        (Role.DIRECTOR, StructureKind.MAISON_EMPLOI),
        (Role.BUSINESS, StructureKind.MAISON_EMPLOI),
        (Role.PARTNER, StructureKind.MISSION_LOCALE),
        (Role.FUNDER, StructureKind.FUNDER),
    ],
)
def test_everyone_else_is_refused(client_for, make_member, role, kind):
    client = client_for(make_member(role, StructureFactory(kind=kind)))
    for url in _setting_urls():
        assert client.post(url, NEW_PROGRAMME).status_code == 403, url
        if not url.endswith("/proposer/"):
            assert client.get(url).status_code == 403, url
    assert not Programme.objects.filter(code=NEW_PROGRAMME["code"]).exists()
    assert programme("plie").is_active
    assert SuggestedAction.objects.count() > 0


def test_a_maison_emploi_admin_acting_for_another_structure_is_refused(
    client_for, make_member, mde, mde_admin
):
    elsewhere = make_member(Role.REFERENT, StructureFactory(), user=mde_admin.user)
    assert client_for(elsewhere).get(PROGRAMMES_URL).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    for url in _setting_urls():
        response = client.get(url) if not url.endswith("/proposer/") else client.post(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_the_screen_is_reached_from_the_home_page_and_the_menu(as_admin, client_for, make_member):
    home = as_admin.get(reverse("core:home")).content.decode()
    assert "Paramétrage de l&#x27;accompagnement" in home
    assert f'href="{PROGRAMMES_URL}"' in home
    nav = [entry["label"] for entry in as_admin.get(PROGRAMMES_URL).context["navigation"]]
    assert "Paramétrage" in nav
    counsellor = client_for(make_member(Role.REFERENT, StructureFactory()))
    assert PROGRAMMES_URL not in counsellor.get(reverse("core:home")).content.decode()


def test_the_demo_network_head_reaches_the_screen_and_another_admin_does_not(client):
    from tisserand.structures import demo

    demo.seed()
    client.login(email="admin@mde-roubaix.test", password=demo.DEMO_PASSWORD)
    assert f'href="{PROGRAMMES_URL}"' in client.get(reverse("core:home")).content.decode()
    assert client.get(PROGRAMMES_URL).status_code == 200
    client.login(email="admin@ml-roubaix.test", password=demo.DEMO_PASSWORD)
    assert PROGRAMMES_URL not in client.get(reverse("core:home")).content.decode()
    assert client.get(PROGRAMMES_URL).status_code == 403


# --- Programmes --------------------------------------------------------------------------------


def test_the_list_shows_each_programme_with_its_use(as_admin, accompaniment):
    response = as_admin.get(PROGRAMMES_URL)
    rows = {p.code: p for p in response.context["programmes"]}
    assert rows["reinforced"].accompaniment_count == 1
    assert rows["plie"].accompaniment_count == 0
    page = response.content.decode()
    assert "<caption>Programmes du réseau" in page and '<th scope="row">PLIE</th>' in page


def test_adding_a_programme_offers_it_when_entering_one(as_admin, mde_admin, referent):
    response = as_admin.post(PROGRAMMES_URL, NEW_PROGRAMME)
    assert response.status_code == 302
    added = Programme.objects.get(code="clause_locale")
    assert added.is_active and added.order == 60
    assert "Parcours clause locale" in _offered_labels(referent)
    event = timeline.events_for(added).get()
    assert event.summary == "Programme ajouté : « Parcours clause locale »"
    assert event.actor == mde_admin.user and event.actor_structure == mde_admin.structure


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "plie"}, "code", "Un autre programme a déjà ce code."),
        ({"label": "accompagnement RENFORCÉ"}, "label", "Un autre programme porte déjà"),
        ({"label": "  "}, "label", "Donnez un libellé au programme."),
        ({"code": "Clause locale!"}, "code", "Le code ne contient que des lettres minuscules"),
        ({"code": ""}, "code", "Donnez un code au programme."),
        ({"order": "-1"}, "order", "L'ordre est un nombre positif ou nul"),
    ],
)
def test_bad_programme_input_is_refused_next_to_the_field(as_admin, changes, field, message):
    data = {**NEW_PROGRAMME, **changes}
    _assert_refused(as_admin, PROGRAMMES_URL, data, field, message, Programme)


def test_the_label_is_unique_in_the_database_whatever_its_case():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(code="autre_plie", label="plie")


def test_editing_a_programme_records_the_changes(as_admin):
    plie = programme("plie")
    edit_url = reverse("accompaniment:settings_programme_edit", args=[plie.pk])
    response = as_admin.post(
        edit_url,
        {"code": "plie_metropole", "label": "PLIE métropole", "description": "", "order": "5"},
    )
    assert response.status_code == 302
    plie.refresh_from_db()
    assert (plie.code, plie.label, plie.order) == ("plie_metropole", "PLIE métropole", 5)
    event = timeline.events_for(plie).get()
    assert event.summary.startswith("Programme modifié : « PLIE métropole » (code, libellé")
    assert {"field": "libellé", "before": "PLIE", "after": "PLIE métropole"} in event.changes
    history = as_admin.get(PROGRAMMES_URL).content.decode()
    assert "Programme modifié : « PLIE métropole »" in history


def test_a_used_programme_keeps_its_code(as_admin, accompaniment):
    reinforced = programme("reinforced")
    edit_url = reverse("accompaniment:settings_programme_edit", args=[reinforced.pk])
    assert as_admin.get(edit_url).context["form"].fields["code"].disabled
    response = as_admin.post(
        edit_url, {"code": "renamed", "label": "Renforcé", "description": "", "order": "1"}
    )
    assert response.status_code == 302
    reinforced.refresh_from_db()
    assert (reinforced.code, reinforced.label) == ("reinforced", "Renforcé")


def test_the_service_refuses_to_change_a_used_code(accompaniment, mde_admin):
    reinforced = programme("reinforced")
    with pytest.raises(AccompanimentError, match="son code"):
        settings_services.update(reinforced, data={"code": "renamed"}, actor=Actor.of(mde_admin))
    assert Programme.objects.filter(code="reinforced").exists()


def test_bad_edit_changes_nothing(as_admin):
    plie = programme("plie")
    edit_url = reverse("accompaniment:settings_programme_edit", args=[plie.pk])
    response = as_admin.post(
        edit_url, {"code": "plie", "label": "Sécurisation DES parcours", "order": "1"}
    )
    assert response.status_code == 200 and _field_errors(response, "label")
    plie.refresh_from_db()
    assert plie.label == "PLIE" and plie.order == 20
    assert not timeline.events_for(plie).exists()


def test_stopping_and_resuming_a_programme(as_admin, referent):
    plie = programme("plie")
    offer_url = reverse("accompaniment:settings_programme_offer", args=[plie.pk])
    assert as_admin.get(offer_url).status_code == 405
    assert as_admin.post(offer_url, {"proposer": "non"}).status_code == 302
    plie.refresh_from_db()
    assert not plie.is_active
    assert "PLIE" not in _offered_labels(referent)
    refused = OpenAccompanimentForm(
        {"programme": str(plie.pk), "entry_date": ENTRY.isoformat()}, membership=referent
    )
    assert not refused.is_valid() and "programme" in refused.errors
    assert {"field": "proposé", "before": "oui", "after": "non"} in (
        timeline.events_for(plie).get().changes
    )
    as_admin.post(offer_url, {"proposer": "oui"})
    plie.refresh_from_db()
    assert plie.is_active and "PLIE" in _offered_labels(referent)
    assert timeline.events_for(plie).count() == 2


def test_an_unused_programme_is_deleted_after_confirmation(as_admin):
    plie = programme("plie")
    delete_url = reverse("accompaniment:settings_programme_delete", args=[plie.pk])
    confirmation = as_admin.get(delete_url)
    assert "Supprimer définitivement" in confirmation.content.decode()
    assert Programme.objects.filter(pk=plie.pk).exists()
    assert as_admin.post(delete_url).status_code == 302
    assert not Programme.objects.filter(pk=plie.pk).exists()
    history = as_admin.get(PROGRAMMES_URL).content.decode()
    assert "Programme supprimé : « PLIE »" in history


def test_a_used_programme_is_never_deleted(as_admin, accompaniment):
    reinforced = programme("reinforced")
    delete_url = reverse("accompaniment:settings_programme_delete", args=[reinforced.pk])
    confirmation = as_admin.get(delete_url).content.decode()
    assert "ne peut pas être supprimé" in confirmation
    assert "Supprimer définitivement" not in confirmation
    response = as_admin.post(delete_url, follow=True)
    assert "ne peut pas être supprimé" in response.content.decode()
    assert Programme.objects.filter(pk=reinforced.pk).exists()
    assert not timeline.events_for(reinforced).exists()


def test_programmes_page_query_count_does_not_grow(as_admin, django_assert_max_num_queries):
    as_admin.get(PROGRAMMES_URL)
    with CaptureQueriesContext(connection) as few:
        as_admin.get(PROGRAMMES_URL)
    for n in range(15):
        extra = Programme.objects.create(code=f"local_{n}", label=f"Dispositif local {n}")
        AccompanimentFactory.create_batch(2, programme=extra)
        timeline.record_creation(extra)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_admin.get(PROGRAMMES_URL)
    assert len(response.context["programmes"]) == 20


# --- Suggested actions -------------------------------------------------------------------------


def test_suggestions_are_grouped_by_theme_in_the_vocabulary_order(as_admin):
    response = as_admin.get(SUGGESTIONS_URL)
    themes = response.context["themes"]
    assert themes[0][0] == "Logement"
    housing = [s.label for s in themes[0][1]]
    assert housing[0] == "Demande de logement social (bailleurs, SIAO)"
    page = response.content.decode()
    assert "<caption>Actions suggérées pour « Mobilité »</caption>" in page
    assert "Aide aux transports" in page


def test_adding_a_suggested_action(as_admin):
    assert as_admin.post(SUGGESTIONS_URL, NEW_SUGGESTION).status_code == 302
    added = SuggestedAction.objects.get(label="Prêt d'un vélo électrique")
    assert (added.theme, added.action_type, added.order) == ("mobility", "mobility_aid", 50)
    event = timeline.events_for(added).get()
    assert event.summary == "Action suggérée ajoutée : « Prêt d'un vélo électrique »"
    assert "Prêt d&#x27;un vélo électrique" in as_admin.get(SUGGESTIONS_URL).content.decode()


def test_the_same_label_may_be_suggested_for_another_theme(as_admin):
    existing = SuggestedAction.objects.get(label="Bilan de santé (CPAM)")
    response = as_admin.post(SUGGESTIONS_URL, {**NEW_SUGGESTION, "label": existing.label})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"theme": "astrology"}, "theme", "Choisissez une thématique de la liste."),
        ({"theme": ""}, "theme", "Choisissez la thématique."),
        ({"action_type": "teleportation"}, "action_type", "Choisissez un type d'action"),
        ({"label": ""}, "label", "Décrivez l'action proposée."),
        ({"label": "aide aux transports EN COMMUN (abonnement)"}, "label", "déjà proposée"),
        ({"order": "-5"}, "order", "L'ordre est un nombre positif ou nul"),
    ],
)
def test_bad_suggestion_input_is_refused_next_to_the_field(as_admin, changes, field, message):
    data = {**NEW_SUGGESTION, **changes}
    _assert_refused(as_admin, SUGGESTIONS_URL, data, field, message, SuggestedAction)


def test_editing_a_suggestion_records_labels_not_codes(as_admin):
    suggestion = SuggestedAction.objects.get(label="Bilan de compétences")
    edit_url = reverse("accompaniment:settings_suggested_action_edit", args=[suggestion.pk])
    response = as_admin.post(
        edit_url,
        {"theme": "employment", "action_type": "skills_assessment", "label": "Bilan", "order": 1},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.theme, suggestion.label, suggestion.order) == ("employment", "Bilan", 1)
    changes = timeline.events_for(suggestion).get().changes
    assert {"field": "thématique", "before": "Formation", "after": "Emploi"} in changes


def test_plan_actions_do_not_depend_on_suggestions():
    related = [field.related_model for field in PlanAction._meta.get_fields()]
    assert SuggestedAction not in related


def test_deleting_a_suggestion_leaves_the_plans_unchanged(as_admin, accompaniment, actor):
    suggestion = SuggestedAction.objects.get(label="Bilan de santé (CPAM)")
    objective = services.add_objective(accompaniment, theme="health", label="Santé", actor=actor)
    action = PlanAction(
        action_type=suggestion.action_type, label=suggestion.label, partner_name="CPAM"
    )
    services.add_action(objective, action, actor=actor)
    delete_url = reverse("accompaniment:settings_suggested_action_delete", args=[suggestion.pk])
    assert "Supprimer définitivement" in as_admin.get(delete_url).content.decode()
    assert as_admin.post(delete_url).status_code == 302
    assert not SuggestedAction.objects.filter(pk=suggestion.pk).exists()
    assert PlanAction.objects.get(pk=action.pk).label == "Bilan de santé (CPAM)"
    history = as_admin.get(SUGGESTIONS_URL).content.decode()
    assert "Action suggérée supprimée : « Bilan de santé (CPAM) »" in history


def test_suggestions_page_query_count_does_not_grow(as_admin, django_assert_max_num_queries):
    as_admin.get(SUGGESTIONS_URL)
    with CaptureQueriesContext(connection) as few:
        as_admin.get(SUGGESTIONS_URL)
    for n in range(20):
        SuggestedAction.objects.create(theme="digital", action_type="digital_support", label=f"{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        as_admin.get(SUGGESTIONS_URL)
