"""The caseload (file active): who sees which rows, filters, alerts, sort, pagination, counts,
the XLSX export of exactly the listed rows, and a query count that does not grow."""

import datetime
from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.accompaniment.factories import programme
from tests.appointments.factories import AppointmentFactory
from tests.factories import StructureFactory
from tests.people.factories import PersonFactory
from tisserand.accompaniment import services
from tisserand.accompaniment.caseload import PAGE_SIZE
from tisserand.accompaniment.models import PlanAction
from tisserand.appointments.models import Attendance
from tisserand.core import timeline
from tisserand.core.actor import Actor
from tisserand.people.models import PublicStatus
from tisserand.structures.roles import Role

TODAY = timezone.localdate()
CASELOAD = reverse("accompaniment:caseload")
EXPORT = reverse("accompaniment:caseload_export")


@pytest.fixture
def colleague(make_member, structure):
    return make_member(Role.REFERENT, structure)


def enrol(membership, last_name, *, days_ago=10, code="reinforced", **person_fields):
    person = PersonFactory(
        owner_structure=membership.structure, last_name=last_name, **person_fields
    )
    return services.open_accompaniment(
        person,
        programme=programme(code),
        referent=membership.user,
        entry_date=TODAY - timedelta(days=days_ago),
        actor=Actor.of(membership),
    )


def attended(accompaniment, days_ago):
    starts_at = timezone.now() - timedelta(days=days_ago)
    return AppointmentFactory(
        person=accompaniment.person,
        counsellor=accompaniment.referent,
        structure=accompaniment.structure,
        starts_at=starts_at,
        attendance=Attendance.PRESENT,
        attendance_recorded_at=starts_at,
    )


def names(response):
    return [row.person.last_name for row in response.context["page_obj"].object_list]


# --- Who sees what ----------------------------------------------------------------------------


def test_referent_sees_their_own_caseload(client_for, referent, colleague):
    enrol(referent, "Alpha")
    enrol(colleague, "Bravo")
    assert names(client_for(referent).get(CASELOAD)) == ["Alpha"]


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.ADMIN])
def test_director_and_admin_see_their_structure(
    client_for, make_member, structure, referent, colleague, role
):
    enrol(referent, "Alpha")
    enrol(colleague, "Bravo")
    response = client_for(make_member(role, structure)).get(CASELOAD)
    assert names(response) == ["Alpha", "Bravo"]
    filtered = client_for(make_member(role, structure)).get(
        CASELOAD, {"referent": str(colleague.user.public_id)}
    )
    assert names(filtered) == ["Bravo"]


def test_nobody_of_another_structure_sees_the_rows(client_for, make_member, referent):
    enrol(referent, "Alpha")
    other = StructureFactory()
    for role in (Role.DIRECTOR, Role.ADMIN, Role.REFERENT):
        assert names(client_for(make_member(role, other)).get(CASELOAD)) == []


@pytest.mark.parametrize("role", [Role.FUNDER, Role.BUSINESS])
def test_roles_that_follow_nobody_have_no_caseload(client_for, make_member, structure, role):
    client = client_for(make_member(role, structure))
    assert client.get(CASELOAD).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_rows_are_limited_to_the_persons_people_perms_show(client_for, referent):
    """A row whose person the référent no longer follows is not listed (defence in depth)."""
    accompaniment = enrol(referent, "Alpha")
    accompaniment.person.follow_ups.update(is_active=False, until=TODAY)
    assert names(client_for(referent).get(CASELOAD)) == []


# --- Filters, alerts, sort, pagination --------------------------------------------------------


def test_filters(client_for, referent, actor):
    qpv = enrol(
        referent,
        "Alpha",
        qpv_status="in_qpv",
        qpv_code="QN05901M",
        qpv_precision="address",
        qpv_determined_on=TODAY,
    )
    plie = enrol(referent, "Bravo", code="plie")
    gone = enrol(referent, "Charlie", days_ago=300)
    services.record_exit(gone, exit_date=TODAY, exit_type="inactive", actor=actor)
    attended(plie, 3)
    attended(qpv, 45)
    client = client_for(referent)
    assert names(client.get(CASELOAD)) == ["Alpha", "Bravo"]
    assert names(client.get(CASELOAD, {"programme": "plie"})) == ["Bravo"]
    assert names(client.get(CASELOAD, {"qpv": "oui"})) == ["Alpha"]
    # Bravo's QPV status is unknown: never counted as « hors QPV ».
    assert names(client.get(CASELOAD, {"qpv": "non"})) == []
    assert names(client.get(CASELOAD, {"qpv": "indetermine"})) == ["Bravo"]
    assert names(client.get(CASELOAD, {"statut": "suivi"})) == ["Charlie"]
    assert names(client.get(CASELOAD, {"statut": "tous"})) == ["Alpha", "Bravo", "Charlie"]
    assert names(client.get(CASELOAD, {"contact": "recent"})) == ["Bravo"]
    assert names(client.get(CASELOAD, {"contact": "ancien"})) == ["Alpha"]
    assert names(client.get(CASELOAD, {"contact": "jamais", "statut": "tous"})) == ["Charlie"]
    # Unknown values fall back to the defaults.
    assert names(client.get(CASELOAD, {"programme": "zzz", "tri": "hack"})) == ["Alpha", "Bravo"]


def test_last_contact_comes_from_attended_appointments(client_for, referent):
    accompaniment = enrol(referent, "Alpha")
    attended(accompaniment, 40)
    attended(accompaniment, 12)
    AppointmentFactory(person=accompaniment.person, starts_at=timezone.now() - timedelta(days=1))
    row = client_for(referent).get(CASELOAD).context["page_obj"].object_list[0]
    assert row.last_contact == TODAY - timedelta(days=12)


def alerts(response):
    return {
        row.person.last_name: sorted(key for key, _, _ in row.alerts)
        for row in response.context["page_obj"].object_list
    }


def test_alerts(client_for, make_member, structure, referent, actor):
    silent = enrol(referent, "Alpha", days_ago=60)
    attended(silent, 35)
    newcomer = enrol(referent, "Bravo", days_ago=5)
    overdue = enrol(referent, "Charlie", days_ago=20)
    overdue.planned_end_date = TODAY - timedelta(days=1)
    overdue.save()
    PublicStatus.objects.create(
        person=newcomer.person,
        kind="rqth",
        valid_from=datetime.date(2021, 1, 1),
        valid_until=TODAY + timedelta(days=30),
    )
    exited = enrol(referent, "Delta", days_ago=400)
    services.record_exit(
        exited, exit_date=TODAY - timedelta(days=175), exit_type="job_seeker", actor=actor
    )
    client = client_for(referent)
    assert alerts(client.get(CASELOAD, {"statut": "tous"})) == {
        "Alpha": ["sans-contact"],
        "Bravo": ["rqth"],
        "Charlie": ["sortie-a-qualifier"],
        "Delta": ["suivi-a-faire"],
    }
    counts = client.get(CASELOAD).context["counts"]
    assert {key: count for key, _, count in counts["alerts"]} == {
        "sans-contact": 1,
        "rqth": 1,
        "suivi-a-faire": 0,  # counted within the status shown: "en cours"
        "sortie-a-qualifier": 1,
    }
    assert {key: count for key, _, count in counts["statuses"]} == {
        "en-cours": 3,
        "suivi": 1,
        "sortis": 0,
        "tous": 4,
    }
    assert names(client.get(CASELOAD, {"alerte": "rqth"})) == ["Bravo"]
    # RQTH is special-category data: the director does not get the alert.
    director = client_for(make_member(Role.DIRECTOR, structure))
    assert alerts(director.get(CASELOAD))["Bravo"] == []


def test_sort_by_name_entry_and_last_contact(client_for, referent):
    alpha = enrol(referent, "Alpha", days_ago=3)
    bravo = enrol(referent, "Bravo", days_ago=20)
    enrol(referent, "Charlie", days_ago=9)
    attended(alpha, 2)
    attended(bravo, 8)
    client = client_for(referent)
    assert names(client.get(CASELOAD, {"tri": "-nom"})) == ["Charlie", "Bravo", "Alpha"]
    assert names(client.get(CASELOAD, {"tri": "entree"})) == ["Bravo", "Charlie", "Alpha"]
    assert names(client.get(CASELOAD, {"tri": "contact"})) == ["Charlie", "Bravo", "Alpha"]
    assert names(client.get(CASELOAD, {"tri": "-contact"})) == ["Alpha", "Bravo", "Charlie"]
    page = client.get(CASELOAD, {"tri": "-nom"}).content.decode()
    assert 'aria-sort="descending"' in page


def test_pagination_keeps_the_filters(client_for, referent):
    for index in range(PAGE_SIZE + 2):
        enrol(referent, f"Nom{index:02d}", code="plie")
    client = client_for(referent)
    first = client.get(CASELOAD, {"programme": "plie"})
    assert len(first.context["page_obj"].object_list) == PAGE_SIZE
    assert "programme=plie" in first.content.decode().split('rel="next"')[0].rsplit("href", 1)[1]
    second = client.get(CASELOAD, {"programme": "plie", "page": 2})
    assert names(second) == ["Nom25", "Nom26"]


# --- Export -----------------------------------------------------------------------------------


def test_export_holds_exactly_the_listed_rows(client_for, make_member, structure, referent):
    for index in range(PAGE_SIZE + 3):
        enrol(referent, f"Nom{index:02d}", code="plie" if index % 2 else "reinforced")
    client = client_for(make_member(Role.DIRECTOR, structure))
    query = {"programme": "plie", "tri": "-nom"}
    listed = client.get(CASELOAD, query)
    response = client.get(EXPORT, query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    rows = list(workbook["File active"].iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert header[:4] == ("Nom", "Prénom", "Programme", "Référent")
    expected = [f"Nom{i:02d}".upper() for i in range(PAGE_SIZE + 3) if i % 2][::-1]
    assert [row[0] for row in data] == expected
    assert [row[0] for row in data[: len(names(listed))]] == [n.upper() for n in names(listed)]
    assert listed.context["counts"]["shown"] == len(data)
    assert isinstance(data[0][4], datetime.datetime)  # the entry date, as a date cell
    filters = dict(workbook["Filtres"].iter_rows(values_only=True))
    assert filters["Programme"] == "PLIE"
    assert filters["Tri"] == "Nom (décroissant)"


def test_export_link_carries_the_filters(client_for, referent):
    enrol(referent, "Alpha")
    content = client_for(referent).get(CASELOAD, {"qpv": "indetermine"}).content.decode()
    assert "/accompagnement/export.xlsx?qpv=indetermine&amp;statut=en-cours&amp;tri=nom" in content


# --- Queries ----------------------------------------------------------------------------------


def queries_of(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_caseload_queries_do_not_grow_with_the_caseload(client_for, make_member, structure):
    referent = make_member(Role.REFERENT, structure)
    director = make_member(Role.DIRECTOR, structure)
    enrol(referent, "Alpha")
    small = {
        who: queries_of(client_for(who), CASELOAD, {"tri": "contact"})
        for who in (referent, director)
    }
    for index in range(40):
        accompaniment = enrol(referent, f"Nom{index}", days_ago=index + 1)
        attended(accompaniment, index % 50)
    for who in (referent, director):
        assert queries_of(client_for(who), CASELOAD, {"tri": "contact"}) == small[who]
        assert queries_of(client_for(who), EXPORT) <= small[who] + 2


def add_history(accompaniment, actor, count, start=0):
    """Diagnoses, objectives with actions, attended appointments and timeline events."""
    for index in range(start, start + count):
        services.revise_diagnosis(
            accompaniment,
            {"mobility": (index % 4, f"v{index}"), "housing": ((index + 1) % 4, "")},
            assessed_on=accompaniment.entry_date,
            actor=actor,
        )
        objective = services.add_objective(
            accompaniment, theme="digital", label=f"Objectif {index}", actor=actor
        )
        services.add_action(
            objective,
            PlanAction(action_type="digital_support", label=f"Action {index}", partner_name="CCAS"),
            actor=actor,
        )
        attended(accompaniment, index + 1)
        timeline.record(accompaniment.person, "action", f"Événement {index}")


def test_person_page_queries_do_not_grow_with_the_history(client_for, referent, actor):
    accompaniment = enrol(referent, "Alpha")
    services.open_accompaniment(
        accompaniment.person,
        programme=programme("plie"),
        referent=referent.user,
        entry_date=TODAY - timedelta(days=20),
        actor=actor,
    )
    # Three rounds, so that the diagnosis already rates a barrier significant: the referrals
    # panel then reads the matching thematics once (none to read without a barrier).
    add_history(accompaniment, actor, 3)
    person_url = reverse("people:detail", args=[accompaniment.person.public_id])
    detail_url = reverse("accompaniment:detail", args=[accompaniment.public_id])
    client = client_for(referent)
    before = (queries_of(client, person_url), queries_of(client, detail_url))
    add_history(accompaniment, actor, 15, start=3)
    assert (queries_of(client, person_url), queries_of(client, detail_url)) == before


def test_htmx_requests_get_the_results_only(client_for, referent):
    enrol(referent, "Alpha")
    client = client_for(referent)
    fragment = client.get(CASELOAD, {"tri": "-nom"}, headers={"HX-Request": "true"})
    content = fragment.content.decode()
    assert fragment.templates[0].name == "accompaniment/_caseload_results.html"
    assert "<html" not in content and 'id="resultats-file-active"' in content
    assert 'id="caseload-sort" value="-nom" hx-swap-oob="true"' in content
    restore = client.get(
        CASELOAD, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_an_unknown_qpv_status_is_never_written_non(client_for, referent):
    """« oui », « non », « indéterminé »: an unknown status or an expired attestation is not
    « non », on the page, in the filter and in the export."""
    address = {"qpv_precision": "address", "qpv_determined_on": TODAY}
    enrol(referent, "Alpha", qpv_status="in_qpv", qpv_code="QN05901M", **address)
    enrol(referent, "Bravo", qpv_status="not_in_qpv", **address)
    enrol(referent, "Charlie")
    enrol(
        referent,
        "Delta",
        qpv_status="in_qpv",
        qpv_code="QN05901M",
        qpv_precision="attestation",
        qpv_determined_on=TODAY - timedelta(days=400),
        qpv_valid_until=TODAY - timedelta(days=1),
    )
    client = client_for(referent)
    response = client.get(CASELOAD)
    cells = {
        row.person.last_name: row.person.qpv_label_today for row in response.context["page_obj"]
    }
    assert cells == {
        "Alpha": "oui",
        "Bravo": "non",
        "Charlie": "indéterminé",
        "Delta": "indéterminé",
    }
    assert "<td>indéterminé</td>" in response.content.decode()
    assert names(client.get(CASELOAD, {"qpv": "oui"})) == ["Alpha"]
    assert names(client.get(CASELOAD, {"qpv": "non"})) == ["Bravo"]
    assert names(client.get(CASELOAD, {"qpv": "indetermine"})) == ["Charlie", "Delta"]
    rows = list(load_workbook(BytesIO(client.get(EXPORT).content))["File active"].values)
    column = rows[0].index("QPV")
    assert {row[0]: row[column] for row in rows[1:]} == {
        "ALPHA": "oui",
        "BRAVO": "non",
        "CHARLIE": "indéterminé",
        "DELTA": "indéterminé",
    }


def test_a_counter_the_reader_cannot_see_is_hidden_not_zero(
    client_for, make_member, structure, referent
):
    """The director cannot see RQTH data: no « 0 RQTH arrivant à échéance », no such filter."""
    ending = enrol(referent, "Bravo")
    PublicStatus.objects.create(
        person=ending.person,
        kind="rqth",
        valid_from=datetime.date(2021, 1, 1),
        valid_until=TODAY + timedelta(days=30),
    )
    referent_page = client_for(referent).get(CASELOAD)
    assert ("rqth", 1) in [
        (key, count) for key, _, count in referent_page.context["counts"]["alerts"]
    ]
    assert "RQTH arrivant à échéance" in referent_page.content.decode()
    director = client_for(make_member(Role.DIRECTOR, structure))
    response = director.get(CASELOAD)
    assert "rqth" not in [key for key, _, _ in response.context["counts"]["alerts"]]
    assert "rqth" not in response.context["alert_choices"]
    assert "RQTH" not in response.content.decode()
    # Asked anyway, the filter is ignored rather than answering an empty list.
    assert names(director.get(CASELOAD, {"alerte": "rqth"})) == ["Bravo"]


def test_the_home_card_says_whom_it_counts(client_for, make_member, structure, referent):
    enrol(referent, "Bravo")
    home = reverse("core:home")
    director_page = client_for(make_member(Role.DIRECTOR, structure)).get(home).content.decode()
    assert "Les personnes suivies par la structure" in director_page
    assert "que vous accompagnez" not in director_page
    referent_page = client_for(referent).get(home).content.decode()
    assert "Les personnes que vous accompagnez" in referent_page
