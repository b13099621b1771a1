import json

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tisserand.referentials.vocabularies import api
from tisserand.referentials.vocabularies.forms import term_choice_field
from tisserand.referentials.vocabularies.loading import (
    VocabularyFileError,
    load_vocabularies,
    read_entries,
)
from tisserand.referentials.vocabularies.models import Term, Vocabulary
from tisserand.referentials.vocabularies.validators import TermCodeValidator
from tisserand.structures.roles import Role

EXPECTED_VOCABULARIES = {
    "barrier_theme",
    "exit_type",
    "contract_type",
    "eligibility_criterion",
    "qualification_level",
    "action_type",
    "event_type",
}


@pytest.fixture
def loaded():
    load_vocabularies()


def codes(vocabulary):
    return [term.code for term in api.terms(vocabulary)]


def test_the_shipped_file_holds_every_vocabulary():
    vocabularies, entries = read_entries()
    assert {v["code"] for v in vocabularies} == EXPECTED_VOCABULARIES
    assert len(entries) > 100


def test_barrier_themes_are_the_ten_usual_ones(loaded):
    assert codes("barrier_theme") == [
        "housing",
        "employment",
        "training",
        "administrative",
        "financial",
        "mobility",
        "health",
        "family",
        "french_language",
        "digital",
    ]
    assert api.labels("barrier_theme")["french_language"] == "Maîtrise de la langue française"


def test_exit_types_are_grouped_in_the_four_families(loaded):
    assert [c.code for c in api.categories("exit_type")] == [
        "durable_employment",
        "transition_employment",
        "positive_exit",
        "other_exit",
    ]
    families = api.category_of("exit_type")
    assert families["cdi"] == "durable_employment"
    assert families["cdd_6_months_plus"] == "durable_employment"
    assert families["temp_work_6_months_plus"] == "durable_employment"
    assert families["civil_service"] == "durable_employment"
    assert families["business_creation"] == "durable_employment"
    assert families["cdd_under_6_months"] == "transition_employment"
    assert families["subsidised_contract"] == "transition_employment"
    assert families["qualifying_training"] == "positive_exit"
    assert families["siae_hire"] == "positive_exit"
    assert {"job_seeker", "inactive", "moved_away", "lost_contact", "health"} <= {
        code for code, family in families.items() if family == "other_exit"
    }


def test_qualification_levels_carry_their_isced_group(loaded):
    assert codes("qualification_level") == [f"level_{n}" for n in range(1, 9)]
    groups = api.category_of("qualification_level")
    assert [groups[f"level_{n}"] for n in range(1, 9)] == ["isced_0_2"] * 2 + ["isced_3_4"] * 2 + [
        "isced_5_8"
    ] * 4


def test_other_vocabularies_hold_the_expected_codes(loaded):
    assert {"cdi", "cdd", "temp_work", "apprenticeship", "professionalisation", "cddi"} <= set(
        codes("contract_type")
    )
    assert {"pec_cui"} <= set(codes("contract_type"))
    criteria = api.category_of("eligibility_criterion")
    assert criteria["iae_rsa"] == "iae_level_1"
    assert criteria["iae_detld"] == "iae_level_1"
    assert criteria["iae_qpv"] == "iae_level_2"
    assert criteria["clause_rqth"] == "social_clause"
    assert {"workshop", "hr_club", "information_session", "job_dating", "forum"} <= set(
        codes("event_type")
    )
    assert {"driving_licence", "childcare", "work_immersion"} <= set(codes("action_type"))


def test_loading_twice_creates_nothing_and_keeps_edits(loaded, django_assert_max_num_queries):
    count = Term.objects.count()
    Term.objects.filter(code="housing").update(label="Hébergement et logement", is_active=False)
    with django_assert_max_num_queries(4):
        assert load_vocabularies() == 0
    assert Term.objects.count() == count
    housing = api.term("barrier_theme", "housing")
    assert housing.label == "Hébergement et logement"
    assert "housing" not in codes("barrier_theme")
    assert "housing" in [t.code for t in api.terms("barrier_theme", include_inactive=True)]


def test_loading_adds_a_missing_term(loaded):
    Term.objects.filter(code="digital").delete()
    assert load_vocabularies() == 1
    assert "digital" in codes("barrier_theme")


def test_a_file_with_a_duplicate_code_is_refused(tmp_path):
    path = tmp_path / "v.json"
    term = {"code": "x", "label": "X"}
    path.write_text(
        json.dumps({"vocabularies": [{"code": "v", "label": "V", "terms": [term, term]}]}),
        encoding="utf-8",
    )
    with pytest.raises(VocabularyFileError, match="apparaît deux fois"):
        load_vocabularies(path)
    assert not Vocabulary.objects.exists()


def test_a_category_cannot_have_a_category(loaded):
    category = Term.objects.get(vocabulary__code="exit_type", code="positive_exit")
    other = Term.objects.get(vocabulary__code="exit_type", code="other_exit")
    category.category = other
    with transaction.atomic(), pytest.raises(IntegrityError):
        category.save()


def test_a_term_category_must_be_of_the_same_vocabulary(loaded):
    term = Term.objects.get(vocabulary__code="contract_type", code="cdi")
    term.category = Term.objects.get(vocabulary__code="exit_type", code="positive_exit")
    with pytest.raises(ValidationError):
        term.clean()


class ExitForm(forms.Form):
    exit_type = term_choice_field("exit_type", label="Type de sortie")
    themes = term_choice_field("barrier_theme", multiple=True, label="Freins", required=False)


def test_form_fields_offer_active_terms_grouped_by_category(loaded):
    Term.objects.filter(code="inactive").update(is_active=False)
    form = ExitForm({"exit_type": "cdi", "themes": ["mobility", "health"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"exit_type": "cdi", "themes": ["mobility", "health"]}
    groups = dict(form.fields["exit_type"].choices[1:])
    assert ("cdi", "CDI") in groups["Emploi durable"]
    assert "inactive" not in [code for code, _ in groups["Autre sortie"]]
    assert not ExitForm({"exit_type": "inactive"}).is_valid()
    assert not ExitForm({"exit_type": "durable_employment"}).is_valid()


def test_term_code_validator(loaded):
    validator = TermCodeValidator("contract_type")
    validator("cddi")
    with pytest.raises(ValidationError):
        validator("cdi_a_vie")


def test_members_read_the_vocabularies_page(
    loaded, make_member, client_for, django_assert_max_num_queries
):
    client = client_for(make_member(Role.REFERENT))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("vocabularies:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Emploi durable" in content
    assert "CDD de 6 mois ou plus" in content
    assert "CITE 3 et 4" in content


def test_vocabularies_page_refuses_anonymous_and_structureless_users(client):
    from tests.factories import UserFactory

    url = reverse("vocabularies:list")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_a_label_longer_than_its_column_is_refused_not_cut(tmp_path):
    path = tmp_path / "v.json"
    terms = [{"code": "x", "label": "X"}, {"code": "y", "label": "Y" * 201}]
    path.write_text(
        json.dumps({"vocabularies": [{"code": "v", "label": "V", "terms": terms}]}),
        encoding="utf-8",
    )
    with pytest.raises(
        VocabularyFileError, match="terme « v / y » : .*201 caractères.*200 au plus"
    ):
        load_vocabularies(path)
    assert not Vocabulary.objects.exists()
