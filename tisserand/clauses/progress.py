"""Progress of the clauses — owed, realised, validated and the QPV part — computed in SQL, and the
alerts (a lot behind, a contract ending with hours missing, declarations late for a month).

Realised hours are the declared hours × their kept coefficient, for eligible participants only;
validated hours, those of validated declarations; the QPV part, those of participants residing
in a QPV at the start of their contract. One grouped query for every lot of a set, whatever the
number of declarations; contracts, buyers and operations add up their lots.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from tisserand.clauses.models import Declaration, DeclarationStatus, Lot
from tisserand.people.models import QpvResidence

ZERO = Decimal(0)
COUNTED = ExpressionWrapper(
    F("hours") * F("coefficient"), output_field=DecimalField(max_digits=12, decimal_places=2)
)
ELIGIBLE = Q(participant__is_eligible=True)
# A lot is behind when it realised less than this share of what its elapsed time expects.
BEHIND_TOLERANCE = Decimal("0.8")
# A contract « ends soon » within this many days.
ENDING_WITHIN_DAYS = 90
# Declarations of a month are late from this day of the next month.
LATE_FROM_DAY = 10


@dataclass
class Figures:
    owed: Decimal = ZERO
    qpv_owed: Decimal = ZERO
    realised: Decimal = ZERO
    validated: Decimal = ZERO
    qpv_realised: Decimal = ZERO
    declared_hours: Decimal = ZERO
    not_counted: Decimal = ZERO

    def add(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def rate(self):
        """Realised over owed, in percent (None when nothing is owed)."""
        return None if not self.owed else round(self.realised * 100 / self.owed)

    @property
    def validated_rate(self):
        return None if not self.owed else round(self.validated * 100 / self.owed)

    @property
    def qpv_rate(self):
        return None if not self.qpv_owed else round(self.qpv_realised * 100 / self.qpv_owed)

    @property
    def bar(self):
        """The realised rate within 0–100, for a progress bar."""
        return min(self.rate or 0, 100)


def sums_by_lot(lot_ids=None, *, declarations=None, year=None):
    """{lot id: Figures without the owed part} in one grouped query."""
    rows = declarations if declarations is not None else Declaration.objects.all()
    if lot_ids is not None:
        rows = rows.filter(lot_id__in=lot_ids)
    if year is not None:
        rows = rows.filter(month__year=year)
    grouped = rows.values("lot_id").annotate(
        realised=Sum(COUNTED, filter=ELIGIBLE),
        validated=Sum(COUNTED, filter=ELIGIBLE & Q(status=DeclarationStatus.VALIDATED)),
        qpv_realised=Sum(
            COUNTED, filter=ELIGIBLE & Q(participant__qpv_at_start=QpvResidence.IN_QPV)
        ),
        declared_hours=Sum("hours"),
        not_counted=Sum("hours", filter=~ELIGIBLE),
    )
    return {
        row["lot_id"]: Figures(
            realised=row["realised"] or ZERO,
            validated=row["validated"] or ZERO,
            qpv_realised=row["qpv_realised"] or ZERO,
            declared_hours=row["declared_hours"] or ZERO,
            not_counted=row["not_counted"] or ZERO,
        )
        for row in grouped.order_by()
    }


@dataclass
class LotProgress:
    lot: Lot
    figures: Figures
    expected: Decimal
    elapsed: Decimal

    @property
    def behind(self):
        return self.expected > 0 and self.figures.realised < self.expected * BEHIND_TOLERANCE

    @property
    def ahead(self):
        return self.figures.owed > 0 and self.figures.realised > self.expected


@dataclass
class Alert:
    kind: str
    text: str
    lot: Lot | None = None
    contract: object = None

    @property
    def label(self):
        return ALERT_LABELS[self.kind]


ALERT_LABELS = {
    "behind": "Lot en retard",
    "ending": "Marché bientôt terminé",
    "late": "Déclarations en retard",
}


def elapsed_share(contract, today):
    total = (contract.ends_on - contract.starts_on).days or 1
    done = (min(max(today, contract.starts_on), contract.ends_on) - contract.starts_on).days
    return Decimal(done) / Decimal(total)


@dataclass
class Board:
    """The progress of a set of lots and what adds them up."""

    lots: list[LotProgress]
    total: Figures = field(default_factory=Figures)
    by_contract: dict = field(default_factory=dict)
    by_buyer: dict = field(default_factory=dict)
    alerts: list[Alert] = field(default_factory=list)


def board(lots, *, today=None):
    """The progress of ``lots`` (a queryset), with the contract, buyer and operation sums and
    the alerts. Three queries: the lots, the grouped sums, the lots' declared months."""
    today = today or timezone.localdate()
    lots = list(lots.select_related("contract__buyer", "contract__operation", "holder__legal_unit"))
    sums = sums_by_lot([lot.pk for lot in lots])
    result = Board(lots=[])
    for lot in lots:
        figures = sums.get(lot.pk, Figures())
        figures.owed, figures.qpv_owed = lot.hours_owed, lot.qpv_hours_owed
        share = elapsed_share(lot.contract, today)
        progress = LotProgress(lot, figures, (lot.hours_owed * share).quantize(Decimal(1)), share)
        result.lots.append(progress)
        result.total.add(figures)
        result.by_contract.setdefault(lot.contract, Figures()).add(figures)
        result.by_buyer.setdefault(lot.contract.buyer, Figures()).add(figures)
        if progress.behind:
            result.alerts.append(
                Alert(
                    "behind",
                    f"{lot.contract.reference}, {lot} : {fmt(figures.realised)} h réalisées pour "
                    f"{fmt(progress.expected)} h attendues à {round(share * 100)} % de la durée.",
                    lot=lot,
                )
            )
    for contract, figures in result.by_contract.items():
        days_left = (contract.ends_on - today).days
        missing = figures.owed - figures.realised
        if 0 <= days_left <= ENDING_WITHIN_DAYS and missing > 0:
            result.alerts.append(
                Alert(
                    "ending",
                    f"{contract.reference} se termine le {contract.ends_on:%d/%m/%Y} : il manque "
                    f"{fmt(missing)} h sur {fmt(figures.owed)} h dues.",
                    contract=contract,
                )
            )
    result.alerts.extend(late_declarations(lots, today))
    return result


def late_month(today):
    """The month whose declarations are due (the previous one, from the 10th)."""
    first = today.replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    if today.day >= LATE_FROM_DAY:
        return previous
    return (previous - datetime.timedelta(days=1)).replace(day=1)


def late_declarations(lots, today):
    """Lots running in the due month with participants declared before and nothing for it."""
    month = late_month(today)
    running = [
        lot
        for lot in lots
        if lot.contract.starts_on.replace(day=1) < month <= lot.contract.ends_on.replace(day=1)
    ]
    if not running:
        return []
    ids = [lot.pk for lot in running]
    declared = set(
        Declaration.objects.filter(lot_id__in=ids, month=month)
        .order_by()
        .values_list("lot_id", flat=True)
        .distinct()
    )
    active = set(
        Declaration.objects.filter(lot_id__in=ids, month__lt=month)
        .order_by()
        .values_list("lot_id", flat=True)
        .distinct()
    )
    return [
        Alert(
            "late",
            f"{lot.contract.reference}, {lot} : aucune heure déclarée pour {month:%m/%Y}.",
            lot=lot,
        )
        for lot in running
        if lot.pk in active and lot.pk not in declared
    ]


def fmt(value):
    return f"{Decimal(value):,.0f}".replace(",", "\u202f")
