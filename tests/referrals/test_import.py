"""Import of data·inclusion files: preview, idempotent by (source, id), per-line French
errors naming line and field, nothing written for a rejected file; the command and the page."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tisserand.referrals import importing
from tisserand.referrals.models import DirectoryImport, DirectoryStructure, Service
from tisserand.structures.roles import Role

FILES = Path(__file__).parent / "files"


def _read(name):
    return (FILES / name).read_bytes()


@pytest.fixture(autouse=True)
def _area(area):
    return area


def _import(name):
    return importing.import_file(_read(name), name)


def test_structures_then_services_from_json_and_csv():
    summary = _import("structures.json")
    assert summary["structure_created"] == 2
    summary = _import("services.json")
    assert summary["service_created"] == 2
    summary = _import("services.csv")
    assert summary["service_created"] == 2
    scooter = Service.objects.get(source_id="svc-002")
    assert scooter.on_site and scooter.remote and scooter.by_residents
    assert sorted(scooter.thematics.values_list("code", flat=True)) == [
        "mobilite",
        "mobilite--louer-un-vehicule",
    ]
    assert sorted(scooter.zones.values_list("code", flat=True)) == ["59367", "59512"]
    online = Service.objects.get(source_id="svc-102")
    assert list(online.zones.values_list("kind", flat=True)) == ["france"]
    assert online.publics == [] and online.publics_key == ""
    assert DirectoryStructure.objects.get(source_id="str-001").siret == "99990051700015"


def test_importing_the_same_file_again_changes_nothing():
    _import("structures.json")
    _import("services.json")
    plan = importing.read(_read("services.json"), "services.json")
    assert plan.ok
    assert plan.summary()["service_unchanged"] == 2
    assert plan.summary()["service_created"] == 0
    assert importing.apply(plan)["service_unchanged"] == 2
    assert Service.objects.count() == 2


def test_a_changed_record_is_an_update_by_source_and_id():
    _import("structures.json")
    _import("services.json")
    changed = _read("services.json").replace(
        b"Location solidaire de scooters", b"Location solidaire de scooters et de v\xc3\xa9los"
    )
    plan = importing.read(changed, "services.json")
    assert plan.summary()["service_updated"] == 1
    importing.apply(plan)
    assert Service.objects.get(source_id="svc-002").name.endswith("vélos")
    assert Service.objects.count() == 2


def test_malformed_lines_are_named_with_their_field_and_nothing_is_written():
    _import("structures.json")
    plan = importing.read(_read("malformed_services.csv"), "malformed_services.csv")
    assert not plan.ok
    errors = "\n".join(plan.errors)
    assert "ligne 2, champ « thematiques » : au moins une thématique est obligatoire." in errors
    assert "ligne 3, champ « zone_eligibilite » : code de zone inconnu : « 99999 »" in errors
    assert "ligne 4, champ « date_maj » : « 11/10/2026 » n'est pas une date AAAA-MM-JJ." in errors
    assert "ligne 4, champ « frais » : « très cher » n'est pas un type de frais" in errors
    assert "ligne 4, champ « publics » : « ados » n'est pas un public" in errors
    assert "ligne 4, champ « courriel »" in errors
    assert "ligne 4, champ « structure_id » : la structure « str-404 »" in errors
    assert "ligne 5" not in errors
    with pytest.raises(importing.ImportRefused):
        importing.apply(plan)
    with pytest.raises(importing.ImportRefused):
        importing.import_file(_read("malformed_services.csv"), "malformed_services.csv")
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b'[{"source": "x",', "JSON illisible, ligne 1"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"nom,description\nA,B\n", "colonnes « source » et « id »"),
        (b'{"autre": 1}', "liste de structures ou de services"),
    ],
)
def test_unreadable_files_are_refused_in_french(content, message):
    with pytest.raises(importing.ImportRefused, match=message):
        importing.read(content, "f.json" if content.startswith(b"[") else "f.csv")


def test_a_bad_siret_and_an_unknown_commune_are_named():
    content = (
        b'[{"source": "s", "id": "1", "nom": "Structure", "date_maj": "2026-01-01",'
        b' "siret": "12345678901234", "code_insee": "99999"}]'
    )
    plan = importing.read(content, "structures.json")
    assert "structure n° 1, champ « siret »" in plan.errors[0]
    assert "structure n° 1, champ « code_insee » : « 99999 »" in plan.errors[1]


def test_a_duplicate_id_in_the_file_is_refused():
    content = (
        b'[{"source": "s", "id": "1", "nom": "Structure", "date_maj": "2026-01-01"},'
        b' {"source": "s", "id": "1", "nom": "Structure bis", "date_maj": "2026-01-01"}]'
    )
    plan = importing.read(content, "structures.json")
    assert plan.errors == ["structure n° 2, champ « id » : « 1 » apparaît déjà (structure n° 1)."]


def test_the_command_imports_and_refuses(capsys):
    call_command("import_data_inclusion", str(FILES / "structures.json"))
    call_command("import_data_inclusion", str(FILES / "services.json"), "--dry-run")
    assert not Service.objects.exists()
    call_command("import_data_inclusion", str(FILES / "services.json"))
    assert Service.objects.count() == 2
    with pytest.raises(CommandError, match="ligne 2, champ « thematiques »"):
        call_command("import_data_inclusion", str(FILES / "malformed_services.csv"))
    assert Service.objects.count() == 2


def test_the_page_previews_then_imports(client_for, make_member):
    admin = make_member(Role.ADMIN)
    client = client_for(admin)
    upload = SimpleUploadedFile("structures.json", _read("structures.json"))
    response = client.post(reverse("referrals:import"), {"file": upload})
    batch = DirectoryImport.objects.get()
    assert response.url == reverse("referrals:import_preview", args=[batch.token])
    page = client.get(response.url).content.decode()
    assert "Confirmer l'import" in page
    assert not DirectoryStructure.objects.exists()
    client.post(response.url)
    assert DirectoryStructure.objects.count() == 2
    # Another administrator cannot open this import.
    other = make_member(Role.ADMIN, admin.structure)
    assert client_for(other).get(response.url).status_code == 403


def test_the_page_lists_the_errors_and_writes_nothing(client_for, make_member):
    client = client_for(make_member(Role.ADMIN))
    _import("structures.json")
    upload = SimpleUploadedFile("malformed.csv", _read("malformed_services.csv"))
    response = client.post(reverse("referrals:import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "rien ne sera importé" in page
    assert "ligne 3, champ « zone_eligibilite »" in page
    assert "Confirmer l'import" not in page
    # A file with a problem does not wait for a confirmation.
    assert not DirectoryImport.objects.exists() and not Service.objects.exists()


def test_a_structure_of_the_network_is_recognised_by_its_siret():
    from tests.factories import StructureFactory

    member = StructureFactory(siret="99990051700015")
    _import("structures.json")
    assert DirectoryStructure.objects.get(source_id="str-001").network_structure == member


def test_one_json_object_with_both_and_a_csv_with_semicolons():
    both = (
        b'{"structures": [{"source": "s", "id": "1", "nom": "Structure",'
        b' "date_maj": "2026-01-01"}],'
        b' "services": [{"source": "s", "id": "v1", "structure_id": "1", "nom": "Service",'
        b' "description": "Un service.", "date_maj": "2026-01-01",'
        b' "thematiques": ["numerique"], "zone_eligibilite": ["france"]}]}'
    )
    assert importing.import_file(both, "export.json")["service_created"] == 1
    semicolons = (
        b"source;id;structure_id;nom;description;date_maj;thematiques;zone_eligibilite\n"
        b"s;v2;1;Autre service;Un autre service.;2026-01-02;sante;59\n"
    )
    assert importing.import_file(semicolons, "services.csv")["service_created"] == 1
    assert Service.objects.count() == 2
