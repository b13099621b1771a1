"""The adapter: the catalogue and the demand facts loaded from the real files."""

from tisserand.guidance import loading


def test_catalogue_holds_every_current_fiche_with_its_links(referentials):
    catalogue = loading.current_catalogue()
    assert len(catalogue) == 1584
    assert catalogue.version == "4.60"
    aide_soignant = catalogue.occupation("J1501")
    assert aide_soignant.skills and aide_soignant.interests and aide_soignant.riasec
    assert len(aide_soignant.mobilities) >= 6
    assert aide_soignant.core_skills and set(aide_soignant.core_skills) <= set(aide_soignant.skills)
    assert len(catalogue.centres) == 30


def test_catalogue_is_cached_until_a_new_rome_import(referentials, django_assert_num_queries):
    first = loading.current_catalogue()
    with django_assert_num_queries(1):
        assert loading.current_catalogue() is first


def test_demand_of_the_bassin_with_regional_and_national_fallbacks(referentials):
    demand = loading.demand_for("3217", "Roubaix-Tourcoing")
    aide_soignant = demand.facts["J1501"]
    assert aide_soignant.scope == "bassin"
    assert aide_soignant.area_label == "Roubaix-Tourcoing"
    assert 1 <= aide_soignant.tension <= 5
    assert aide_soignant.hirings > 1000
    assert aide_soignant.top_sectors
    scopes = {facts.scope for facts in demand.facts.values()}
    assert {"bassin", "région"} <= scopes


def test_appellation_index_maps_job_titles_to_fiches(referentials):
    index = loading.appellation_index()
    assert len(index) > 13000
    label, code = next(iter(index.values()))
    assert label and len(code) == 5


def test_each_fiche_carries_the_sectors_hiring_it(referentials):
    catalogue = loading.current_catalogue()
    forklift = catalogue.occupation("N1101")
    assert dict(forklift.sectors)["5210B"] > 1000
    assert sum(1 for occupation in catalogue.occupations if occupation.sectors) > 1500
    employers, _ = catalogue.employer_scores(["N1101"])
    # Forklift and delivery drivers share few skills but the same employers.
    assert employers[catalogue.position["N4105"]] > 0.2
    assert "Entreposage et stockage non frigorifique" in catalogue.shared_sectors(
        catalogue.position["N1101"], catalogue.position["N1103"]
    )
