"""Import of the buyers' contract data in the DECP format (données essentielles de la commande
publique, schema 2), to find the contracts that carry a social clause and create them in an
operation.

Fields read: ``id, acheteur{id}, objet, codeCPV, montant, dureeMois, dateNotification,
lieuExecution, titulaires[{typeIdentifiant, id}], considerationsSociales``. A contract is kept
when its social considerations are « Clause sociale », « Critère social » or « Marché réservé »
(« Pas de considération sociale » is skipped); its buyer must be one of the operation's (by
SIRET). The preview says what will be created, what is already there (same buyer and DECP id:
re-importing changes nothing) and what is refused, line by line; any refusal writes nothing.
A contract whose holder is a known company record gets its lot 1, with its clause's legal form
and 0 hour owed, to complete.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from tisserand.clauses import services
from tisserand.clauses.models import Contract, HoursMode, LegalForm, Nature
from tisserand.companies.models import Establishment

LEGAL_FORMS = {
    "Clause sociale": LegalForm.EXECUTION,
    "Critère social": LegalForm.AWARD_CRITERION,
    "Marché réservé": LegalForm.RESERVED_INSERTION,
}
NONE = "Pas de considération sociale"
KNOWN = {*LEGAL_FORMS, NONE}


@dataclass
class Entry:
    number: int
    decp_id: str = ""
    data: dict = field(default_factory=dict)
    holder: object = None
    legal_form: str = ""
    action: str = ""
    errors: list = field(default_factory=list)

    @property
    def action_label(self):
        return {
            "create": "à créer",
            "same": "déjà importé",
            "skip": "sans clause sociale, ignoré",
        }.get(self.action, "refusé")


@dataclass
class Preview:
    entries: list
    file_error: str = ""

    @property
    def errors(self):
        return [entry for entry in self.entries if entry.errors]

    @property
    def accepted(self):
        return not self.file_error and not self.errors

    token: str = ""

    def count(self, action):
        return sum(1 for entry in self.entries if entry.action == action and not entry.errors)

    @property
    def counts(self):
        return {
            "create": self.count("create"),
            "same": self.count("same"),
            "skip": self.count("skip"),
            "rejected": len(self.errors),
        }


def _considerations(value):
    if isinstance(value, dict):
        value = value.get("considerationSociale", [])
    if isinstance(value, str):
        value = [value]
    return [str(item).strip() for item in value or []]


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]  # fmt: skip
    return datetime.date(year, month, min(day.day, last))


def _holders(record):
    holders = record.get("titulaires") or []
    result = []
    for item in holders:
        item = item.get("titulaire", item) if isinstance(item, dict) else {}
        if item.get("typeIdentifiant") == "SIRET" and item.get("id"):
            result.append(str(item["id"]).strip())
    return result


def read(operation, content):
    try:
        payload = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return Preview([], "Ce fichier n'est pas un JSON lisible (format DECP attendu).")
    records = payload
    if isinstance(payload, dict):
        records = payload.get("marches", payload.get("marche", []))
        if isinstance(records, dict):
            records = records.get("marche", [])
    if not isinstance(records, list):
        return Preview([], "Le fichier ne contient pas de liste « marches ».")
    buyers = {buyer.siret: buyer for buyer in operation.buyers.all()}
    existing = set(
        Contract.objects.filter(buyer__in=buyers.values()).exclude(decp_id="")
        .values_list("buyer_id", "decp_id")
    )  # fmt: skip
    entries, seen = [], set()
    for number, record in enumerate(records, start=1):
        entries.append(_entry(number, record, buyers, existing, seen))
    return Preview(entries)


def _entry(number, record, buyers, existing, seen):
    entry = Entry(number)
    where = f"marché n° {number}"
    if not isinstance(record, dict):
        entry.errors.append(f"{where} : ce n'est pas un objet JSON.")
        return entry
    entry.decp_id = str(record.get("id") or "").strip()
    where = f"marché n° {number} ({entry.decp_id or 'sans id'})"
    considerations = _considerations(record.get("considerationsSociales"))
    unknown = [item for item in considerations if item not in KNOWN]
    if unknown:
        entry.errors.append(f"{where}, champ considerationsSociales : « {unknown[0]} » inconnue.")
        return entry
    forms = [LEGAL_FORMS[item] for item in considerations if item in LEGAL_FORMS]
    if not forms:
        entry.action = "skip"
        return entry
    entry.legal_form = forms[0]
    if not entry.decp_id:
        entry.errors.append(f"{where}, champ id : absent.")
    siret = str((record.get("acheteur") or {}).get("id") or "").strip()
    buyer = buyers.get(siret)
    if buyer is None:
        entry.errors.append(
            f"{where}, champ acheteur.id : « {siret} » n'est pas un donneur d'ordre de l'opération."
        )
    try:
        amount = Decimal(str(record.get("montant")))
        if amount < 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        entry.errors.append(f"{where}, champ montant : « {record.get('montant')} » invalide.")
        amount = None
    try:
        starts = datetime.date.fromisoformat(str(record.get("dateNotification"))[:10])
    except ValueError:
        entry.errors.append(f"{where}, champ dateNotification : date aaaa-mm-jj attendue.")
        starts = None
    months = record.get("dureeMois")
    if not isinstance(months, int) or months <= 0:
        entry.errors.append(f"{where}, champ dureeMois : un nombre de mois positif attendu.")
        months = None
    objet = str(record.get("objet") or "").strip()
    if not objet:
        entry.errors.append(f"{where}, champ objet : absent.")
    if entry.errors:
        return entry
    key = (buyer.pk, entry.decp_id)
    if key in existing:
        entry.action = "same"
        return entry
    if key in seen:
        entry.errors.append(f"{where} : cet id figure deux fois dans le fichier.")
        return entry
    seen.add(key)
    cpv = str(record.get("codeCPV") or "").strip()[:12]
    entry.data = {
        "buyer": buyer,
        "reference": entry.decp_id[:80],
        "decp_id": entry.decp_id,
        "object": objet[:400],
        "cpv_code": cpv,
        "amount": amount,
        "nature": Nature.WORKS if cpv.startswith("45") else Nature.SERVICES,
        "starts_on": starts,
        "ends_on": _add_months(starts, months),
        "social_considerations": ", ".join(considerations)[:200],
    }
    sirets = _holders(record)
    entry.holder = Establishment.objects.filter(siret__in=sirets).order_by("pk").first()
    entry.action = "create"
    return entry


@transaction.atomic
def write(operation, preview, *, actor):
    if not preview.accepted:
        raise services.ClauseError("Le fichier comporte des erreurs : rien n'a été enregistré.")
    created = 0
    for entry in preview.entries:
        if entry.action != "create":
            continue
        contract = services.create_contract(operation, data=entry.data, actor=actor)
        created += 1
        if entry.holder is not None:
            services.create_lot(
                contract,
                data={
                    "number": 1,
                    "label": contract.object[:200],
                    "holder": entry.holder,
                    "amount": contract.amount,
                    "legal_form": entry.legal_form,
                    "hours_mode": HoursMode.ENTERED,
                    "hours_owed": Decimal(0),
                },
                actor=actor,
            )
    return created
