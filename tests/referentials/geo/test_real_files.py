"""The real published files (../shared/data/geo), imported once for this module."""

import lzma
from io import StringIO

import pytest
from django.conf import settings
from django.db import connection

from tests.referentials.geo.conftest import SHARED_GEO
from tisserand.referentials.geo import services
from tisserand.referentials.geo.loader import load_shipped_territory
from tisserand.referentials.geo.models import (
    BassinEmploi,
    Commune,
    Departement,
    Epci,
    GeoImport,
    PostalCode,
    Qpv,
    QpvImport,
    Region,
)
from tisserand.referentials.geo.pickers import commune_picker
from tisserand.referentials.geo.territory import import_territory

GEO_MODELS = (Departement, Region, BassinEmploi, Epci)


@pytest.fixture(scope="module", autouse=True)
def real_territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        record, notes = import_territory(SHARED_GEO)
        yield record, notes
        _empty_geo_tables()


def _empty_geo_tables():
    """Faster than ``QuerySet.delete()``, which would collect 39,000 communes first."""
    through = Qpv.communes.through
    with connection.cursor() as cursor:
        for model in (through, PostalCode, Qpv, QpvImport, Commune, *GEO_MODELS, GeoImport):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _snapshot():
    communes = list(
        Commune.objects.order_by("insee_code").values_list(
            "pk",
            "insee_code",
            "name",
            "search_name",
            "departement__code",
            "bassin__code",
            "latitude",
            "longitude",
            "is_former",
        )
    )
    postal_codes = list(PostalCode.objects.order_by("pk").values_list("pk", "commune_id", "code"))
    return communes, postal_codes


def test_counts_match_the_files(real_territory):
    record, notes = real_territory
    # communes.csv: 39,255 distinct codes (plus a repeated header line, skipped).
    assert Commune.objects.count() == record.communes == 39255
    # laposte_hexasmal.csv: 39,201 rows, 36,370 distinct (commune, postal code) pairs.
    assert PostalCode.objects.count() == 36370
    assert PostalCode.objects.values("code").distinct().count() == 6329
    # lexique_bassins.csv lists 403 bassins; bassin_emploi_communes.csv adds 3 unnamed ones.
    assert BassinEmploi.objects.count() == 406
    assert BassinEmploi.objects.filter(name="").count() == 3
    assert Region.objects.count() == 18
    assert Departement.objects.filter(region__isnull=False).count() == 101
    # Communes listed neither by La Poste nor by France Travail.
    assert Commune.objects.filter(is_former=False).count() == 36018
    assert "18 code(s) commune inconnu(s)" in notes[0]


def test_roubaix_and_lys_lez_lannoy_are_in_bassin_3217():
    assert services.bassin_code_for_commune("59512") == "3217"
    assert services.bassin_code_for_commune("59367") == "3217"
    roubaix = Commune.objects.select_related("departement__region", "bassin").get(
        insee_code="59512"
    )
    assert roubaix.name == "Roubaix"
    assert roubaix.departement.name == "Nord"
    assert roubaix.departement.region.name == "Hauts-de-France"
    assert roubaix.bassin.name == "Roubaix-Tourcoing (versant nord-est)"
    assert (round(roubaix.latitude, 4), round(roubaix.longitude, 4)) == (50.688, 3.1826)


def test_bassin_3217_has_24_current_communes():
    communes = Commune.objects.filter(bassin__code="3217", is_former=False)
    assert communes.count() == 24
    assert {"Tourcoing", "Wattrelos", "Croix", "Hem"} <= set(
        communes.values_list("name", flat=True)
    )
    # Warneton-Sud, merged long ago, is only in bassin_emploi_communes.csv.
    assert Commune.objects.get(insee_code="59644").is_former


def test_postal_codes_link_several_communes_both_ways():
    assert [c.insee_code for c in services.commune_for_postal_code("59100")] == ["59512"]
    lys_postal = services.commune_for_postal_code("59390")
    assert {"59367", "59598", "59522"} <= {c.insee_code for c in lys_postal}
    lille = Commune.objects.get(insee_code="59350")
    assert set(lille.postal_codes.values_list("code", flat=True)) >= {"59000", "59800"}
    assert services.commune_for_postal_code("00000") == []


def test_names_codes_and_corsica():
    assert Commune.objects.get(insee_code="2A004").name == "Ajaccio"
    assert Commune.objects.get(insee_code="2A004").departement.code == "2A"
    assert Commune.objects.get(insee_code="01001").name == "L'Abergement-Clémenciat"
    assert Commune.objects.get(insee_code="75111").name == "Paris 11e arrondissement"
    assert Commune.objects.get(insee_code="97411").departement.code == "974"
    assert services.bassin_code_for_commune("97105") == "0101"


def test_search_ignores_accents_and_finds_codes():
    assert list(services.search_communes("lys lez lannoy", 1))[0].insee_code == "59367"
    assert list(services.search_communes("ROUBAIX", 1))[0].insee_code == "59512"
    assert list(services.search_communes("Deulemont", 1))[0].name == "Deûlémont"
    assert list(services.search_communes("st amand les eaux", 1))[0].insee_code == "59526"
    assert list(services.search_communes("59100", 1))[0].insee_code == "59512"
    assert list(services.search_communes("2a004", 1))[0].insee_code == "2A004"


def test_commune_picker_on_the_real_referential():
    assert commune_picker.resolve("roubaix").insee_code == "59512"
    assert commune_picker.resolve("59100").insee_code == "59512"
    assert commune_picker.resolve("Lille").insee_code == "59350"
    # A postal code of several communes, a name two communes bear: the user must choose.
    assert commune_picker.resolve("59390") is None
    assert commune_picker.resolve("Saint-Omer") is None
    labels = [commune_picker.label_of(c) for c in commune_picker.search("lys", 10)]
    assert "Lys-lez-Lannoy (59390)" in labels


def test_reimport_is_idempotent():
    before = _snapshot()
    record, _notes = import_territory(SHARED_GEO)
    assert record.communes == 39255
    assert _snapshot() == before


def test_shipped_data_is_the_published_files():
    shipped = settings.BASE_DIR / "data" / "geo"
    for path in SHARED_GEO.glob("*.csv"):
        assert lzma.decompress((shipped / f"{path.name}.xz").read_bytes()) == path.read_bytes()


def test_loader_does_nothing_when_communes_are_there():
    out = StringIO()
    load_shipped_territory(out)
    assert "déjà chargées" in out.getvalue()


def test_the_shipped_epci_composition_loads_with_the_mel_and_its_95_communes():
    from tisserand.referentials.geo.loader import load_shipped_epcis

    out = StringIO()
    load_shipped_epcis(out)
    assert "EPCI" in out.getvalue() and "communes rattachées" in out.getvalue()
    mel = Epci.objects.get(siren="200093201")
    assert mel.name == "Métropole Européenne de Lille"
    assert mel.communes.count() == 95
    assert Commune.objects.get(insee_code="59512").epci == mel  # Roubaix
    assert Commune.objects.get(insee_code="59367").epci == mel  # Lys-lez-Lannoy
    assert Epci.objects.count() == 1255
    again = StringIO()
    load_shipped_epcis(again)
    assert "déjà chargés" in again.getvalue()
