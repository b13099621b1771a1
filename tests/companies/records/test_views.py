"""The company record's pages, through the views: who sees what (both sides of each rule),
the list's filters and its query count, the page's sections, creation from a SIRET."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.companies.factories import ContactFactory, EstablishmentFactory, LegalUnitFactory
from tests.companies.records_helpers import creation_data, siret_of
from tisserand.companies import services
from tisserand.companies.models import Establishment, Tag
from tisserand.core.timeline import events_about
from tisserand.structures.roles import Capability, Role, roles_with

SEE = roles_with(Capability.SEE_COMPANIES)


def _company(area, naf, activity=None, **more):
    values = {
        "name": "Filature du Trichon",
        "naf": activity or naf["1310Z"],
        "commune": area["roubaix"],
        "postal_code": "59100",
        "address_line": "12 rue du Trichon",
        "headcount_band": "12",
        **more,
    }
    company = EstablishmentFactory(**values)
    company.search_name = company.name.lower()
    company.save()
    return company


@pytest.mark.parametrize("role", list(Role))
def test_the_list_and_the_page_open_to_the_roles_that_see_companies(
    client_for, make_member, structure, area, naf, role
):
    company = _company(area, naf)
    client = client_for(make_member(role, structure))
    expected = 200 if role in SEE else 403
    assert client.get(reverse("companies:list")).status_code == expected
    assert client.get(reverse("companies:detail", args=[company.public_id])).status_code == expected


def test_anonymous_users_see_nothing(client, area, naf):
    company = _company(area, naf)
    for url in (reverse("companies:list"), reverse("companies:detail", args=[company.public_id])):
        response = client.get(url)
        assert (
            response.status_code == 302
            and "/comptes/" in response.url
            or response.status_code == 302
        )


def test_an_officer_sees_the_companies_of_the_whole_network(
    client_for, make_member, other_structure, area, naf
):
    company = _company(area, naf)
    company.officer_structure = other_structure
    company.save()
    client = client_for(make_member(Role.REFERENT))
    response = client.get(reverse("companies:detail", args=[company.public_id]))
    assert response.status_code == 200
    assert "Filature du Trichon" in response.content.decode()


def test_a_funder_reads_counts_only(client_for, make_member, structure, area, naf):
    for n in range(6):
        _company(area, naf, name=f"Entreprise {n}")
    _company(area, naf, name="Seule au monde", activity=naf["6201Z"])
    client = client_for(make_member(Role.FUNDER, structure))
    assert client.get(reverse("companies:list")).status_code == 403
    response = client.get(reverse("companies:counts"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Seule au monde" not in page and "Entreprise 1" not in page
    assert "7 <span" in page
    # 6 in section C, 1 in section J: masked under 5.
    assert "Industrie manufacturière</th><td>6</td>" in page
    assert "Information et communication</th><td>moins de 5</td>" in page
    home = client.get(reverse("core:home")).content.decode()
    assert "Entreprises du réseau" in home and reverse("companies:counts") in home


def test_the_home_and_the_menu_offer_the_companies_to_those_who_see_them(
    client_for, make_member, structure
):
    home = (
        client_for(make_member(Role.REFERENT, structure)).get(reverse("core:home")).content.decode()
    )
    assert reverse("companies:list") in home
    funder_home = (
        client_for(make_member(Role.FUNDER, structure)).get(reverse("core:home")).content.decode()
    )
    assert f'href="{reverse("companies:list")}"' not in funder_home


# --- The list ---------------------------------------------------------------------------------


def _names(response):
    return [company.name for company in response.context["page_obj"].object_list]


def test_filters_narrow_the_list(client_for, officer, area, naf):
    textile = _company(area, naf, name="Filature du Trichon", is_geiq=True)
    digital = _company(
        area,
        naf,
        name="Octet Roubaix",
        activity=naf["6201Z"],
        headcount_band="03",
        insertion_kind="EI",
    )
    lys = _company(area, naf, name="Lys Emballages", commune=area["lys"], postal_code="59390")
    lille = _company(area, naf, name="Comptoir lillois", commune=area["lille"], postal_code="59000")
    tag = Tag.objects.create(label="Recrute")
    digital.tags.add(tag)
    lys.officer = officer.user
    lys.save()
    client = client_for(officer)
    url = reverse("companies:list")
    assert _names(client.get(url, {"q": "trichon"})) == ["Filature du Trichon"]
    assert _names(client.get(url, {"q": textile.siret})) == ["Filature du Trichon"]
    assert _names(client.get(url, {"q": digital.siret[:9]})) == ["Octet Roubaix"]
    assert _names(client.get(url, {"commune": "59367"})) == ["Lys Emballages"]
    assert sorted(_names(client.get(url, {"bassin": area["roubaix"].bassin_id}))) == [
        "Filature du Trichon",
        "Lys Emballages",
        "Octet Roubaix",
    ]
    assert len(_names(client.get(url, {"epci": area["roubaix"].epci_id}))) == 4
    assert _names(client.get(url, {"naf_section": naf["6201Z"].section_id})) == ["Octet Roubaix"]
    assert _names(client.get(url, {"naf": "62.01Z"})) == ["Octet Roubaix"]
    assert _names(client.get(url, {"headcount_band": "03"})) == ["Octet Roubaix"]
    assert _names(client.get(url, {"flag": "siae"})) == ["Octet Roubaix"]
    assert _names(client.get(url, {"flag": "geiq"})) == ["Filature du Trichon"]
    assert _names(client.get(url, {"tag": tag.pk})) == ["Octet Roubaix"]
    assert _names(client.get(url, {"officer": officer.user.pk})) == ["Lys Emballages"]
    assert lille.name in _names(client.get(url))


def test_closed_establishments_leave_the_active_list_and_keep_their_page(
    client_for, officer, area, naf
):
    closed = _company(area, naf, name="Ancienne teinturerie", state="F")
    _company(area, naf, name="Filature du Trichon")
    client = client_for(officer)
    url = reverse("companies:list")
    assert _names(client.get(url)) == ["Filature du Trichon"]
    assert _names(client.get(url, {"state": "fermees"})) == ["Ancienne teinturerie"]
    assert len(_names(client.get(url, {"state": "toutes"}))) == 2
    page = client.get(reverse("companies:detail", args=[closed.public_id])).content.decode()
    assert "Établissement fermé" in page


def _list_queries(client):
    # The territories of the filters are kept in the cache: count a warm page.
    client.get(reverse("companies:list"))
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("companies:list"), {"q": "entreprise", "state": "actives"})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_query_count_does_not_grow_with_the_data(client_for, officer, area, naf):
    client = client_for(officer)
    for n in range(3):
        _company(area, naf, name=f"Entreprise {n}")
    few = _list_queries(client)
    tags = [Tag.objects.create(label=f"Étiquette {n}") for n in range(5)]
    for n in range(60):
        company = _company(
            area,
            naf,
            name=f"Entreprise {n + 3}",
            activity=naf["6201Z" if n % 2 else "4711D"],
            commune=area["lys"] if n % 3 else area["roubaix"],
            officer=officer.user,
        )
        company.tags.add(tags[n % 5])
    assert _list_queries(client) == few


def test_the_list_is_paginated(client_for, officer, area, naf):
    for n in range(30):
        _company(area, naf, name=f"Entreprise {n:02d}")
    client = client_for(officer)
    first = client.get(reverse("companies:list"))
    assert len(_names(first)) == 25
    assert _names(client.get(reverse("companies:list"), {"page": 2})) == [
        f"Entreprise {n}" for n in range(25, 30)
    ]


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_its_sections(client_for, officer, area, naf, actor):
    company = _company(area, naf, is_social_economy=True, insertion_kind="ACI")
    sibling = (
        EstablishmentFactory(
            legal_unit=company.legal_unit, siret=company.siret[:9] + "00028"[:5], name="Dépôt"
        )
        if False
        else None
    )
    ContactFactory(
        establishment=company,
        first_name="Nadia",
        last_name="Haddad",
        job_title="Gérante",
        consents_to_contact=True,
        consent_given_on="2026-03-02",
    )
    services.set_tags(company, data={"tags": ["Textile"]}, actor=actor)
    services.assign_officer(company, data={"officer": officer.user}, actor=actor)
    response = client_for(officer).get(reverse("companies:detail", args=[company.public_id]))
    page = response.content.decode()
    for expected in (
        "12 rue du Trichon",
        "59100 Roubaix",
        "Métropole Européenne de Lille",
        "Roubaix-Tourcoing",
        "13.10Z — Préparation de fibres textiles et filature",
        "20 à 49 salariés",
        "Atelier et chantier d&#x27;insertion (ACI)",
        "Économie sociale et solidaire (ESS)",
        "Nadia Haddad",
        "accord du 02/03/2026",
        "Textile",
        "Historique",
        "Étiquettes : Textile",
    ):
        assert expected in page, expected
    assert sibling is None


def test_the_page_lists_the_other_establishments_of_the_siren(client_for, officer, area, naf):
    from stdnum import luhn

    company = _company(area, naf, is_head_office=True)
    body = company.siret[:9] + "0002"
    EstablishmentFactory(
        legal_unit=company.legal_unit, siret=body + luhn.calc_check_digit(body), name="Dépôt de Lys"
    )
    page = (
        client_for(officer)
        .get(reverse("companies:detail", args=[company.public_id]))
        .content.decode()
    )
    assert "Dépôt de Lys" in page


def test_a_non_diffusible_individual_shows_neither_name_nor_address(
    client_for, officer, area, naf, actor
):
    data = creation_data(
        area, naf, legal_name="Jean Zéphyrin-Quillebœuf", is_individual=True, diffusion="N"
    )
    company = services.create_establishment(data=data, actor=actor)
    client = client_for(officer)
    page = client.get(reverse("companies:detail", args=[company.public_id])).content.decode()
    assert "Entrepreneur individuel (non diffusible)" in page
    assert "Quillebœuf" not in page and "rue du Trichon" not in page
    listing = client.get(reverse("companies:list"), {"state": "toutes"}).content.decode()
    assert "Quillebœuf" not in listing and "Non diffusible" in listing
    assert _names(client.get(reverse("companies:list"), {"q": "Quillebœuf"})) == []
    picker = client.get(
        reverse("core:picker", args=["establishment"]), {"q": company.siret}
    ).content.decode()
    assert "Quillebœuf" not in picker and company.siret in picker


def test_the_page_query_count_does_not_grow_with_contacts_and_events(
    client_for, officer, area, naf, actor
):
    company = _company(area, naf)
    client = client_for(officer)
    url = reverse("companies:detail", args=[company.public_id])

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    services.add_contact(company, data={"first_name": "A", "last_name": "B"}, actor=actor)
    few = count()
    for n in range(15):
        services.add_contact(company, data={"first_name": f"C{n}", "last_name": "D"}, actor=actor)
    assert count() == few


# --- Creation and edition ---------------------------------------------------------------------


def test_creation_starts_from_the_siret(client_for, officer, area, naf):
    client = client_for(officer)
    url = reverse("companies:create")
    bad = client.post(url, {"siret": "12345678901234"})
    assert "SIRET invalide" in bad.content.decode()
    siret = siret_of(42_000_001)
    step = client.post(url, {"siret": siret})
    assert step.context["form"].initial["siret"] == siret
    data = {
        k: v for k, v in creation_data(area, naf, siret=siret).items() if v not in (None, False)
    }
    data.update({"naf": "13.10Z", "commune": "59512"})
    response = client.post(url, data)
    company = Establishment.objects.get(siret=siret)
    assert response.status_code == 302 and response.url == reverse(
        "companies:detail", args=[company.public_id]
    )
    # Whoever creates the record is its officer until someone else is named.
    assert company.officer == officer.user and company.officer_structure == officer.structure


def test_an_existing_siret_links_to_its_record(client_for, officer, area, naf):
    company = _company(area, naf)
    response = client_for(officer).post(reverse("companies:create"), {"siret": company.siret})
    page = response.content.decode()
    assert "déjà sa fiche" in page
    assert reverse("companies:detail", args=[company.public_id]) in page


def test_creation_is_prefilled_from_another_establishment_of_the_siren(
    client_for, officer, area, naf
):
    from stdnum import luhn

    unit = LegalUnitFactory(name="Les Ateliers du Trichon")
    EstablishmentFactory(legal_unit=unit, naf=naf["1310Z"], is_social_economy=True)
    body = unit.siren + "0002"
    response = client_for(officer).post(
        reverse("companies:create"), {"siret": body + luhn.calc_check_digit(body)}
    )
    initial = response.context["form"].initial
    assert initial["legal_name"] == "Les Ateliers du Trichon"
    assert initial["naf"] == "1310Z" and initial["is_social_economy"] is True
    assert "autre de ses établissements" in response.content.decode()


def test_same_name_same_commune_asks_for_confirmation(client_for, officer, area, naf):
    _company(area, naf, name="Filature du Trichon")
    client = client_for(officer)
    siret = siret_of(42_000_009)
    data = {
        k: v for k, v in creation_data(area, naf, siret=siret).items() if v not in (None, False)
    }
    data.update({"naf": "13.10Z", "commune": "59512"})
    warned = client.post(reverse("companies:create"), data)
    assert "Une entreprise du même nom existe" in warned.content.decode()
    assert not Establishment.objects.filter(siret=siret).exists()
    key = warned.context["similar_key"]
    # The key alone is not a confirmation: the box must be ticked.
    client.post(reverse("companies:create"), {**data, "similar_confirmed": key})
    assert not Establishment.objects.filter(siret=siret).exists()
    client.post(
        reverse("companies:create"), {**data, "similar_confirmed": "faux", "confirm_similar": "on"}
    )
    assert not Establishment.objects.filter(siret=siret).exists()
    client.post(
        reverse("companies:create"), {**data, "similar_confirmed": key, "confirm_similar": "on"}
    )
    assert Establishment.objects.filter(siret=siret).exists()


@pytest.mark.parametrize("role", [Role.REFERENT, Role.DIRECTOR, Role.PARTNER])
def test_roles_that_only_see_companies_change_nothing(
    client_for, make_member, structure, area, naf, role
):
    company = _company(area, naf)
    contact = ContactFactory(establishment=company)
    client = client_for(make_member(role, structure))
    for url in (
        reverse("companies:create"),
        reverse("companies:edit", args=[company.public_id]),
        reverse("companies:tags", args=[company.public_id]),
        reverse("companies:officer", args=[company.public_id]),
        reverse("companies:contact_create", args=[company.public_id]),
        reverse("companies:contact_deactivate", args=[company.public_id, contact.public_id]),
        reverse("companies:import"),
    ):
        assert (
            client.post(url, {"tags": "x", "first_name": "A", "last_name": "B"}).status_code == 403
        )
    contact.refresh_from_db()
    assert contact.is_active and not company.tags.exists() and company.contacts.count() == 1
    page = client.get(reverse("companies:detail", args=[company.public_id])).content.decode()
    assert "Modifier la fiche" not in page and "Ajouter un contact" not in page


def test_edition_contacts_tags_officer_through_the_pages(client_for, officer, area, naf):
    company = _company(area, naf)
    client = client_for(officer)
    edit = reverse("companies:edit", args=[company.public_id])
    form = client.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update(
        {
            "legal_name": "Filature du Trichon",
            "naf": "13.10Z",
            "commune": "59512",
            "headcount_band": "21",
        }
    )
    assert client.post(edit, data).status_code == 302
    company.refresh_from_db()
    assert company.headcount_band == "21"
    contact_url = reverse("companies:contact_create", args=[company.public_id])
    assert (
        client.post(
            contact_url,
            {
                "first_name": "Nadia",
                "last_name": "Haddad",
                "phone": "03 20 11 22 33",
                "consents_to_contact": "on",
            },
        ).status_code
        == 302
    )
    contact = company.contacts.get()
    assert contact.phone == "+33320112233" and contact.consent_given_on is not None
    deactivate = reverse(
        "companies:contact_deactivate", args=[company.public_id, contact.public_id]
    )
    assert "Désactiver" in client.get(deactivate).content.decode()
    assert client.post(deactivate).status_code == 302
    contact.refresh_from_db()
    assert not contact.is_active
    assert (
        client.post(
            reverse("companies:tags", args=[company.public_id]), {"tags": "Textile, recrute"}
        ).status_code
        == 302
    )
    assert sorted(company.tags.values_list("label", flat=True)) == ["Textile", "recrute"]
    officer_url = reverse("companies:officer", args=[company.public_id])
    assert client.post(officer_url, {"officer": officer.user.pk}).status_code == 302
    company.refresh_from_db()
    assert company.officer == officer.user


def test_the_officer_is_chosen_among_the_structure_managers(
    client_for, officer, make_member, other_structure, area, naf
):
    company = _company(area, naf)
    stranger = make_member(Role.BUSINESS, other_structure)
    referent = make_member(Role.REFERENT, officer.structure)
    client = client_for(officer)
    url = reverse("companies:officer", args=[company.public_id])
    for user in (stranger.user, referent.user):
        response = client.post(url, {"officer": user.pk})
        assert response.status_code == 200 and response.context["form"].errors
    company.refresh_from_db()
    assert company.officer is None


def test_the_establishment_picker_proposes_active_ones_by_name_or_siret(
    client_for, officer, area, naf
):
    active = _company(area, naf, name="Filature du Trichon")
    _company(area, naf, name="Filature fermée", state="F")
    client = client_for(officer)
    page = client.get(
        reverse("core:picker", args=["establishment"]), {"q": "filature"}
    ).content.decode()
    assert "Filature du Trichon" in page and "Filature fermée" not in page
    page = client.get(
        reverse("core:picker", args=["establishment"]), {"q": active.siret[:9]}
    ).content.decode()
    assert "Filature du Trichon" in page
    from tisserand.core.pickers import get_picker

    picker = get_picker("establishment")
    assert picker.get(active.siret) == active
    assert picker.resolve(active.siret) == active
    funder = client_for(
        __import__("tests.factories", fromlist=["MembershipFactory"]).MembershipFactory(
            role=Role.FUNDER
        )
    )
    assert (
        funder.get(reverse("core:picker", args=["establishment"]), {"q": "filature"}).status_code
        == 403
    )


def test_the_territory_filters_follow_the_records(client_for, officer, area, naf, actor):
    from tisserand.referentials.geo.models import BassinEmploi

    client = client_for(officer)
    _company(area, naf)
    choices = client.get(reverse("companies:list")).context["form"].fields["bassin"].queryset
    assert [b.name for b in choices] == ["Roubaix-Tourcoing"]
    data = creation_data(area, naf, commune=area["lille"], postal_code="59000")
    services.create_establishment(data=data, actor=actor)
    choices = client.get(reverse("companies:list")).context["form"].fields["bassin"].queryset
    assert sorted(b.name for b in choices) == ["Lille", "Roubaix-Tourcoing"]
    assert BassinEmploi.objects.count() == 2


def test_the_edition_records_a_closure_and_a_reopening(client_for, officer, area, naf):
    company = _company(area, naf)
    client = client_for(officer)
    edit = reverse("companies:edit", args=[company.public_id])
    form = client.get(edit).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update({"legal_name": "Filature du Trichon", "naf": "13.10Z", "commune": "59512"})
    assert client.post(edit, {**data, "state": "F", "closed_on": "2026-06-30"}).status_code == 302
    company.refresh_from_db()
    assert company.state == "F" and company.closed_on.isoformat() == "2026-06-30"
    assert company not in Establishment.objects.active()
    future = client.post(edit, {**data, "state": "F", "closed_on": "2999-01-01"})
    assert "dans le futur" in future.content.decode()
    assert client.post(edit, {**data, "state": "A", "closed_on": "2026-06-30"}).status_code == 302
    company.refresh_from_db()
    assert company.state == "A" and company.closed_on is None
    summaries = [event.summary for event in events_about(company)]
    assert "Modification : état administratif, fermé le" in summaries
