"""Many malformed variants of data·inclusion files (JSON and CSV), through the import page and
through ``import_data_inclusion``: each is read, or refused in French with nothing written
(not even the waiting import)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.upload_probes import (
    READ,
    REFUSED,
    TableSpec,
    Variant,
    assert_french,
    assert_french_page,
    csv_variants,
    ids,
    json_variants,
    upload,
)
from tisserand.referrals.forms import ImportForm
from tisserand.referrals.models import DirectoryImport, DirectoryStructure, Service
from tisserand.structures.roles import Role

STRUCTURES = json.loads((Path(__file__).parent / "files" / "structures.json").read_text())
NAME_LIMIT = DirectoryStructure._meta.get_field("name").max_length
ROWS = [{key: str(value) for key, value in record.items()} for record in STRUCTURES]
CSV = TableSpec(
    columns=list(ROWS[0]),
    rows=ROWS,
    required="id",
    text_column="nom",
    text_limit=NAME_LIMIT,
    bad_values={
        "date_maj": ["02/11/2026", "2026-02-31", "12,5"],
        "latitude": ["12,5", "1e309", "-91", "nan"],
        "siret": ["1e309", "-1"],
    },
    delimiter=",",
    file_name="structures.csv",
)
VARIANTS = csv_variants(CSV) + json_variants(
    STRUCTURES, required_key="id", text_key="nom", text_limit=NAME_LIMIT
)
for variant in VARIANTS:
    if variant.data.lstrip()[:1] in (b"[", b"{") or variant.name in ("texte", "nombre", "null"):
        variant.file_name = variant.file_name or "structures.json"


@pytest.fixture(autouse=True)
def _area(area):
    return area


def state():
    return (
        DirectoryStructure.objects.count(),
        Service.objects.count(),
        DirectoryImport.objects.count(),
    )


@pytest.mark.parametrize("variant", VARIANTS, ids=ids(VARIANTS))
def test_a_file_through_the_page(client_for, make_member, variant):
    client = client_for(make_member(Role.ADMIN))
    before = state()
    response = client.post(reverse("referrals:import"), {"file": upload(variant, "s.csv")})
    assert_french_page(response)
    if variant.expected == REFUSED:
        assert response.status_code == 200 and state() == before
        assert response.context["form"].errors or response.context["plan"].errors
    elif variant.expected == READ:
        assert response.status_code == 302, response.content.decode()
        assert_french_page(client.post(response.url))
        assert DirectoryStructure.objects.count() == len(STRUCTURES)


@pytest.mark.parametrize("variant", VARIANTS, ids=ids(VARIANTS))
def test_a_file_through_the_command(db, tmp_path, variant):
    path = tmp_path / (variant.file_name or "structures.csv")
    path.write_bytes(variant.data)
    before = state()
    try:
        call_command("import_data_inclusion", str(path), stdout=StringIO())
    except CommandError as error:
        assert_french(str(error))
        assert state() == before and variant.expected != READ, str(error)
    else:
        assert variant.expected != REFUSED
        assert DirectoryStructure.objects.count() == len(STRUCTURES)


def test_a_file_over_the_limit_is_refused_next_to_the_field(client_for, make_member, monkeypatch):
    monkeypatch.setattr(ImportForm.base_fields["file"], "max_bytes", 2048)
    big = Variant("gros", CSV.csv() + b" " * 2048, REFUSED)
    response = client_for(make_member(Role.ADMIN)).post(
        reverse("referrals:import"), {"file": upload(big, "s.csv")}
    )
    assert "Le fichier est trop volumineux (2 Ko au plus)." in assert_french_page(response)
    assert state() == (0, 0, 0)


def test_a_file_name_with_folders_is_kept_without_them(client_for, make_member):
    variant = Variant("dossiers", CSV.csv(), READ, "C:\\Users\\moi/../" + "s" * 300 + ".csv")
    client_for(make_member(Role.ADMIN)).post(
        reverse("referrals:import"), {"file": upload(variant, "")}
    )
    name = DirectoryImport.objects.get().file_name
    assert name.endswith("ssss.csv") and len(name) <= 200 and not {"/", "\\", ":"} & set(name)
