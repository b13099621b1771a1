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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from tisserand.clauses import services
from tisserand.clauses.models import Contract, HoursMode, LegalForm, Nature
from tisserand.companies.models import Establishment
from tisserand.referentials import uploads
from tisserand.referentials.lengths import field_of, length_problem

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


MAX_MONTHS = 1200  # a hundred years: longer is a typing error
AMOUNT = Contract._meta.get_field("amount")


class Problems(list):
    """The French problems of one record, each naming its field."""

    def __init__(self, where):
        super().__init__()
        self.where = where

    def add(self, name, message):
        self.append(f"{self.where}, champ {name} : {message}")


def _considerations(value, problems):
    if isinstance(value, dict):
        value = value.get("considerationSociale", [])
    if isinstance(value, str):
        value = [value]
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.add("considerationsSociales", "un texte ou une liste de textes est attendu.")
        return []
    return [item.strip() for item in value]


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]  # fmt: skip
    return datetime.date(year, month, min(day.day, last))


def _object(record, name, problems):
    value = record.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(name, "un objet JSON est attendu.")
        return {}
    return value


def _text(record, name, problems, field_name=None, label=None):
    """The text of ``record[name]`` (a number is written as text), checked against the
    length of ``Contract.<field_name>``."""
    value = record.get(name)
    label = label or name
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        problems.add(label, "un texte est attendu.")
        return ""
    value = str(value).strip()
    if field_name:
        problem = length_problem(value, field_of(Contract, field_name))
        if problem:
            problems.add(label, problem)
    return value


def _holders(record, problems):
    holders = record.get("titulaires") or []
    if not isinstance(holders, list):
        problems.add("titulaires", "une liste est attendue.")
        return []
    result = []
    for item in holders:
        item = item.get("titulaire", item) if isinstance(item, dict) else None
        if not isinstance(item, dict):
            problems.add("titulaires", "chaque titulaire est un objet JSON.")
            continue
        if item.get("typeIdentifiant") == "SIRET" and item.get("id"):
            result.append(str(item["id"]).strip())
    return result


def _amount(record, problems):
    value = record.get("montant")
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidOperation
        amount = Decimal(str(value).strip())
        if not amount.is_finite() or amount < 0:
            raise InvalidOperation
        amount = amount.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        problems.add("montant", f"« {str(value)[:40]} » : un montant positif en euros attendu.")
        return None
    if len(amount.as_tuple().digits) > AMOUNT.max_digits:
        problems.add("montant", f"{amount} : montant trop grand pour être enregistré.")
        return None
    return amount


def _period(record, problems):
    value = record.get("dateNotification")
    try:
        if not isinstance(value, str):
            raise ValueError
        starts = datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        problems.add("dateNotification", "date aaaa-mm-jj attendue.")
        starts = None
    months = record.get("dureeMois")
    if isinstance(months, bool) or not isinstance(months, int) or not 0 < months <= MAX_MONTHS:
        problems.add("dureeMois", f"un nombre de mois de 1 à {MAX_MONTHS} attendu.")
        months = None
    if starts is None or months is None:
        return starts, None
    try:
        return starts, _add_months(starts, months)
    except ValueError:
        problems.add("dureeMois", "la fin du marché tombe après l'an 9999.")
        return starts, None


def _records(payload):
    records = payload
    if isinstance(payload, dict):
        records = payload.get("marches", payload.get("marche"))
        if isinstance(records, dict):
            records = records.get("marche")
    return records if isinstance(records, list) else None


def read(operation, content):
    """The preview of a DECP file (bytes or text) for ``operation``: nothing is written."""
    try:
        payload = uploads.load_json(content)
    except uploads.UnreadableFile as error:
        return Preview([], f"{error} (format DECP attendu)")
    records = _records(payload)
    if records is None:
        return Preview([], "Le fichier ne contient pas de liste « marches ».")
    if not records:
        return Preview([], "Le fichier ne contient aucun marché.")
    buyers = {buyer.siret: buyer for buyer in operation.buyers.all()}
    contracts = Contract.objects.filter(buyer__in=buyers.values())
    existing = set(contracts.exclude(decp_id="").values_list("buyer_id", "decp_id"))
    # A DECP id becomes the contract's reference, unique for its buyer.
    taken = set(contracts.values_list("buyer_id", "reference")) - existing
    entries = [
        _entry(number, record, buyers, existing, taken)
        for number, record in enumerate(records, start=1)
    ]
    return Preview(entries)


def _entry(number, record, buyers, existing, taken):
    """One record checked; ``taken`` holds the (buyer, reference) pairs already used, this
    record's added when it is to be created."""
    entry = Entry(number)
    if not isinstance(record, dict):
        entry.errors.append(f"marché n° {number} : ce n'est pas un objet JSON.")
        return entry
    problems = Problems(f"marché n° {number}")
    entry.decp_id = _text(record, "id", problems, "decp_id")
    problems.where = f"marché n° {number} ({entry.decp_id or 'sans id'})"
    considerations = _considerations(record.get("considerationsSociales"), problems)
    unknown = [item for item in considerations if item not in KNOWN]
    if unknown:
        problems.add("considerationsSociales", f"« {unknown[0][:40]} » inconnue.")
    forms = [LEGAL_FORMS[item] for item in considerations if item in LEGAL_FORMS]
    if problems or not forms:
        entry.errors = list(problems)
        entry.action = "" if problems else "skip"
        return entry
    entry.legal_form = forms[0]
    if not entry.decp_id:
        problems.add("id", "absent.")
    siret = _text(_object(record, "acheteur", problems), "id", problems, label="acheteur.id")
    buyer = buyers.get(siret)
    if buyer is None:
        problems.add(
            "acheteur.id", f"« {siret[:20]} » n'est pas un donneur d'ordre de l'opération."
        )
    amount = _amount(record, problems)
    starts, ends = _period(record, problems)
    objet = _text(record, "objet", problems, "object")
    if not objet:
        problems.add("objet", "absent.")
    cpv = _text(record, "codeCPV", problems, "cpv_code")
    sirets = _holders(record, problems)
    entry.errors = list(problems)
    if entry.errors:
        return entry
    key = (buyer.pk, entry.decp_id)
    if key in existing:
        entry.action = "same"
        return entry
    if key in taken:
        entry.errors.append(
            f"{problems.where} : cet id figure deux fois dans le fichier, ou est déjà la "
            "référence d'un autre marché de cet acheteur."
        )
        return entry
    taken.add(key)
    entry.data = {
        "buyer": buyer,
        "reference": entry.decp_id,
        "decp_id": entry.decp_id,
        "object": objet,
        "cpv_code": cpv,
        "amount": amount,
        "nature": Nature.WORKS if cpv.startswith("45") else Nature.SERVICES,
        "starts_on": starts,
        "ends_on": ends,
        "social_considerations": ", ".join(dict.fromkeys(considerations)),
    }
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
