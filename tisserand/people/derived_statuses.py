"""Public statuses the record already establishes, computed on display instead of being typed.

- *Jeune de moins de 26 ans*: from the 16th birthday to the day before the 26th, from the birth
  date.
- *Senior de plus de 50 ans*: from the 50th birthday, with no end.
- *Résident d'un quartier prioritaire (QPV)*: while the address-level geocoding places the person
  in a QPV (``Person.qpv_status``), from the day that was determined; or, from an official
  attestation (``QpvAttestation``), from its date to the end of its validity.

Nothing is derived before the 16th birthday: public statuses open access to employment measures,
and working age starts at 16 in France. (A younger person's QPV residence is still shown with the
address on the person page.) Someone born on 29 February turns a year older on 1 March in common
years.

Pure: no query, and the caller gives the day, so that a page shows what holds on one day.
"""

import datetime
from dataclasses import dataclass
from typing import ClassVar

from tisserand.people.models import PublicStatus, PublicStatusKind, QpvBasis, QpvResidence

DERIVED_KINDS = frozenset(
    {PublicStatusKind.UNDER_26, PublicStatusKind.OVER_50, PublicStatusKind.QPV}
)

WORKING_AGE = 16
YOUTH_AGE_LIMIT = 26
SENIOR_AGE = 50
FROM_BIRTH_DATE = "Déduit de la date de naissance"


@dataclass(frozen=True)
class DerivedStatus:
    """A status read from the record; it displays like a stored ``PublicStatus``."""

    kind: PublicStatusKind
    valid_from: datetime.date
    valid_until: datetime.date | None
    proof: str

    is_special_category: ClassVar[bool] = False
    is_derived: ClassVar[bool] = True

    def __str__(self):
        return self.get_kind_display()

    def get_kind_display(self):
        return self.kind.label

    is_valid_on = PublicStatus.is_valid_on


def derived_statuses(person, today):
    """The derived statuses of ``person`` that hold on ``today``; none before working age."""
    if today < birthday(person.birth_date, WORKING_AGE):
        return ()
    candidates = (*_age_statuses(person.birth_date), *_qpv_statuses(person))
    return tuple(status for status in candidates if status.is_valid_on(today))


def birthday(birth_date, age):
    """The day someone born on ``birth_date`` turns ``age``: 1 March for a 29 February birth."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return datetime.date(birth_date.year + age, 3, 1)


def _age_statuses(birth_date):
    yield DerivedStatus(
        kind=PublicStatusKind.UNDER_26,
        valid_from=birthday(birth_date, WORKING_AGE),
        valid_until=birthday(birth_date, YOUTH_AGE_LIMIT) - datetime.timedelta(days=1),
        proof=FROM_BIRTH_DATE,
    )
    yield DerivedStatus(
        kind=PublicStatusKind.OVER_50,
        valid_from=birthday(birth_date, SENIOR_AGE),
        valid_until=None,
        proof=FROM_BIRTH_DATE,
    )


def _qpv_statuses(person):
    # The model asserts a QPV residence only from an address-level point, dated and named.
    if person.qpv_status != QpvResidence.IN_QPV:
        return
    determined_on = person.qpv_determined_on
    source = (
        "Attestation de résidence"
        if person.qpv_precision == QpvBasis.ATTESTATION
        else "Déduit de l'adresse géocodée"
    )
    yield DerivedStatus(
        kind=PublicStatusKind.QPV,
        valid_from=determined_on,
        valid_until=person.qpv_valid_until,
        proof=(
            f"{source} : QPV {person.qpv_name} ({person.qpv_code}), "
            f"déterminé le {determined_on:%d/%m/%Y}"
        ),
    )
