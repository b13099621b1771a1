"""Public statuses derived from the birth date and the geocoded address, on a given day."""

import dataclasses
import datetime

import pytest

from tisserand.people.derived_statuses import DERIVED_KINDS, birthday, derived_statuses
from tisserand.people.models import Person, PublicStatusKind, QpvResidence

UNDER_26 = PublicStatusKind.UNDER_26
OVER_50 = PublicStatusKind.OVER_50
QPV = PublicStatusKind.QPV


def day(text):
    return datetime.date.fromisoformat(text)


def born(text, **fields):
    """An unsaved person: the derivation reads the record and makes no query."""
    return Person(birth_date=day(text), **fields)


def in_qpv(birth_date="1990-05-17", determined_on="2025-02-03"):
    return born(
        birth_date,
        qpv_status=QpvResidence.IN_QPV,
        qpv_code="QN05912M",
        qpv_name="Alma",
        qpv_precision="address",
        qpv_determined_on=day(determined_on),
    )


def kinds(person, today):
    return [status.kind for status in derived_statuses(person, day(today))]


def only(person, today):
    (status,) = derived_statuses(person, day(today))
    return status


def test_the_derived_kinds():
    assert {"under_26", "over_50", "qpv"} == DERIVED_KINDS


# --- Under 26 --------------------------------------------------------------------------------


def test_young_person_from_the_16th_birthday_to_the_day_before_the_26th():
    status = only(born("2005-06-10"), "2025-01-15")
    assert status.kind == UNDER_26
    assert (status.valid_from, status.valid_until) == (day("2021-06-10"), day("2031-06-09"))
    assert status.proof == "Déduit de la date de naissance"


def test_the_day_before_the_26th_birthday_is_the_last_day():
    assert kinds(born("2000-06-10"), "2026-06-09") == [UNDER_26]


def test_nothing_on_the_26th_birthday_and_until_the_50th():
    person = born("2000-06-10")
    assert kinds(person, "2026-06-10") == []
    assert kinds(person, "2050-06-09") == []


def test_nothing_is_derived_before_working_age_not_even_a_qpv_residence():
    person = in_qpv(birth_date="2010-09-01", determined_on="2026-01-05")
    assert kinds(person, "2026-08-31") == []
    assert kinds(person, "2026-09-01") == [UNDER_26, QPV]


# --- Over 50 ---------------------------------------------------------------------------------


def test_senior_from_the_50th_birthday_with_no_end():
    person = born("1976-04-20")
    assert kinds(person, "2026-04-19") == []
    status = only(person, "2026-04-20")
    assert status.kind == OVER_50
    assert (status.valid_from, status.valid_until) == (day("2026-04-20"), None)
    assert kinds(person, "2070-01-01") == [OVER_50]


# --- 29 February births ----------------------------------------------------------------------


def test_a_29_february_birth_turns_a_year_older_on_1_march_in_common_years():
    assert birthday(day("2000-02-29"), 26) == day("2026-03-01")
    assert birthday(day("2000-02-29"), 16) == day("2016-02-29")
    assert birthday(day("2000-03-01"), 26) == day("2026-03-01")


def test_a_29_february_birth_is_under_26_until_28_february():
    person = born("2000-02-29")
    assert only(person, "2026-02-28").valid_until == day("2026-02-28")
    assert kinds(person, "2026-03-01") == []


def test_a_29_february_birth_is_senior_from_1_march():
    person = born("1976-02-29")
    assert kinds(person, "2026-02-28") == []
    assert only(person, "2026-03-01").valid_from == day("2026-03-01")


# --- QPV -------------------------------------------------------------------------------------


def test_qpv_resident_from_the_determination_with_its_name_and_date():
    status = only(in_qpv(), "2026-11-27")
    assert status.kind == QPV
    assert (status.valid_from, status.valid_until) == (day("2025-02-03"), None)
    assert status.proof == (
        "Déduit de l'adresse géocodée : QPV Alma (QN05912M), déterminé le 03/02/2025"
    )


def test_qpv_resident_only_from_the_determination():
    assert kinds(in_qpv(), "2025-02-02") == []


@pytest.mark.parametrize("residence", [QpvResidence.NOT_IN_QPV, QpvResidence.UNKNOWN])
def test_nothing_for_a_person_not_known_to_live_in_a_qpv(residence):
    person = born(
        "1990-05-17",
        qpv_status=residence,
        qpv_precision="address",
        qpv_determined_on=day("2025-02-03"),
    )
    assert kinds(person, "2026-11-27") == []


# --- Displayed like stored statuses ----------------------------------------------------------


def test_a_derived_status_reads_like_a_stored_one_but_says_it_is_derived():
    status = only(in_qpv(), "2026-11-27")
    assert status.get_kind_display() == str(status) == "Résident d'un quartier prioritaire (QPV)"
    assert status.is_derived and not status.is_special_category
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.proof = "Autre"
