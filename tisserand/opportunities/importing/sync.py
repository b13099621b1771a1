"""Idempotent diff-sync of drafts into ``JobOffer``: created, updated, unchanged, closed.

One source at a time (France Travail, or one partner's file): an open offer of that source
absent from the new file is closed (it leaves the search, keeps its history and its
introductions); an offer seen again after being closed is reopened. Re-importing the same
file changes nothing (each offer's content fingerprint is compared). Everything is read and
resolved first, then written in one transaction.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from tisserand.companies.models import Establishment
from tisserand.core import planner
from tisserand.core.text import fold
from tisserand.opportunities.importing.drafts import CLUES
from tisserand.opportunities.importing.occupations import OccupationResolver
from tisserand.opportunities.models import JobOffer, OfferImport, OfferSource, OfferStatus
from tisserand.referentials.geo.models import Commune

BATCH = 1000
CLOSED_BY_SYNC = "absente du dernier import"


@dataclass
class SyncPlan:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    to_close: list = field(default_factory=list)
    unmatched_occupations: int = 0
    tied_companies: int = 0

    @property
    def summary(self):
        return (
            f"{len(self.created)} créée(s), {len(self.updated)} mise(s) à jour, "
            f"{self.unchanged} inchangée(s), {len(self.to_close)} clôturée(s)"
        )


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def fingerprint(values):
    text = json.dumps(
        {key: _jsonable(value) for key, value in values.items()}, sort_keys=True, default=str
    )
    return hashlib.sha256(text.encode()).hexdigest()


def offer_search_text(values, fiche_label=""):
    skills = " ".join(skill.get("label", "") for skill in values.get("skills") or [])
    return fold(
        " ".join(
            filter(
                None,
                [
                    values.get("title", ""),
                    values.get("company_name", ""),
                    values.get("place_label", ""),
                    values.get("source_appellation_label", ""),
                    fiche_label,
                    skills,
                ],
            )
        )
    )


class Ties:
    """The company records, communes and occupations the drafts designate, read at once."""

    def __init__(self, drafts):
        self.resolver = OccupationResolver()
        insee = {d["commune_insee"] for d in drafts if d.get("commune_insee")}
        self.communes = {
            code: (pk, lat, lon)
            for code, pk, lat, lon in Commune.objects.filter(insee_code__in=insee).values_list(
                "insee_code", "pk", "latitude", "longitude"
            )
        }
        sirets = {d["company_siret"] for d in drafts if d.get("company_siret")}
        self.by_siret = dict(
            Establishment.objects.filter(siret__in=sirets).values_list("siret", "pk")
        )
        commune_ids = {pk for pk, _, _ in self.communes.values()}
        names = {}
        for pk, name, unit_name, commune_id in (
            Establishment.objects.active()
            .filter(commune_id__in=commune_ids)
            .values_list("pk", "name", "legal_unit__name", "commune_id")
        ):
            for label in {name, unit_name} - {""}:
                names.setdefault((fold(label), commune_id), set()).add(pk)
        # Only a name that designates one establishment in the commune ties the offer.
        self.by_name = {key: next(iter(pks)) for key, pks in names.items() if len(pks) == 1}

    def resolve(self, draft):
        values = {key: value for key, value in draft.items() if key not in CLUES}
        appellation_id, fiche_id, how = self.resolver.resolve(
            appellation_code=draft.get("appellation_code"),
            label=draft.get("source_appellation_label") or "",
            rome_code=draft.get("source_rome_code") or "",
        )
        values.update(appellation_id=appellation_id, fiche_id=fiche_id, occupation_match=how)
        commune = self.communes.get(draft.get("commune_insee") or "")
        values["commune_id"] = commune[0] if commune else None
        values.setdefault("latitude", None)
        values.setdefault("longitude", None)
        if values.get("latitude") is None and commune and commune[1] is not None:
            values["latitude"], values["longitude"] = commune[1], commune[2]
        establishment_id = self.by_siret.get(draft.get("company_siret") or "")
        if establishment_id is None and commune and values.get("company_name"):
            establishment_id = self.by_name.get((fold(values["company_name"]), commune[0]))
        values["establishment_id"] = establishment_id
        return values


def plan(drafts, *, source, partner_name=""):
    """What a sync of ``drafts`` would do (nothing written)."""
    ties = Ties(drafts)
    existing = {
        external_id: (pk, digest, status)
        for external_id, pk, digest, status in _of_source(source, partner_name).values_list(
            "external_id", "pk", "content_hash", "status"
        )
    }
    result = SyncPlan()
    seen = set()
    for draft in drafts:
        values = ties.resolve(draft)
        values["partner_name"] = partner_name
        values["content_hash"] = fingerprint(values)
        values["search_text"] = offer_search_text(values)
        result.unmatched_occupations += values["fiche_id"] is None
        result.tied_companies += values["establishment_id"] is not None
        external_id = values["external_id"]
        seen.add(external_id)
        known = existing.get(external_id)
        if known is None:
            result.created.append(values)
        elif known[1] != values["content_hash"] or known[2] != OfferStatus.OPEN:
            values["pk"] = known[0]
            result.updated.append(values)
        else:
            result.unchanged += 1
    result.to_close = [
        pk
        for external_id, (pk, _, status) in existing.items()
        if external_id not in seen and status == OfferStatus.OPEN
    ]
    return result


def _of_source(source, partner_name):
    offers = JobOffer.objects.filter(source=source)
    if source == OfferSource.PARTNER_FILE:
        offers = offers.filter(partner_name=partner_name)
    return offers


SKIPPED_ON_UPDATE = {"id", "public_id", "created_at", "source", "external_id", "pk"}


def _updated_fields(values):
    """The columns a re-import rewrites: those the drafts carry, and the status."""
    names = {f.attname for f in JobOffer._meta.concrete_fields}
    carried = (set(values) & names) - SKIPPED_ON_UPDATE
    return sorted(carried | {"status", "closed_at", "closing_reason", "updated_at"})


# Columns whose Python value is already what the database driver takes.
PLAIN_TYPES = {
    "CharField", "TextField", "BooleanField", "IntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "FloatField", "ForeignKey", "EmailField", "URLField",
}  # fmt: skip


def insert_offers(rows):
    """Inserts new offers (dicts of attnames) with one ``executemany`` per batch: the ORM's
    per-value preparation, and SQLite's small batches of ``bulk_create``, cost most of an
    import. Defaults are those of the model; each value is prepared once, as the ORM would."""
    fields = [f for f in JobOffer._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    preparers = [
        None if f.get_internal_type() in PLAIN_TYPES else f.get_db_prep_save for f in fields
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(JobOffer._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )

    def value(row, field, prepare):
        if field.attname in row:
            raw = row[field.attname]
        elif field.name in ("created_at", "updated_at"):
            raw = now
        else:
            raw = field.get_default()
        return raw if prepare is None or raw is None else prepare(raw, connection)

    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    [value(row, f, prepare) for f, prepare in zip(fields, preparers, strict=True)]
                    for row in rows[start : start + BATCH]
                ],
            )


def apply(result, *, source, partner_name="", file_name="", actor=None):
    """Writes ``result`` (a ``SyncPlan``) in one transaction; returns the ``OfferImport``."""
    now = timezone.now()
    with transaction.atomic():
        insert_offers(result.created)
        if result.updated:
            offers = []
            for values in result.updated:
                offer = JobOffer(**values)
                offer.status, offer.closed_at, offer.closing_reason = OfferStatus.OPEN, None, ""
                offer.updated_at = now
                offers.append(offer)
            JobOffer.objects.bulk_update(
                offers, _updated_fields(result.updated[0]), batch_size=BATCH
            )
        for start in range(0, len(result.to_close), BATCH):
            JobOffer.objects.filter(pk__in=result.to_close[start : start + BATCH]).update(
                status=OfferStatus.CLOSED, closed_at=now, closing_reason=CLOSED_BY_SYNC
            )
        run = OfferImport.objects.create(
            source=source,
            partner_name=partner_name,
            file_name=file_name[:300],
            started_at=now,
            finished_at=timezone.now(),
            created=len(result.created),
            updated=len(result.updated),
            unchanged=result.unchanged,
            closed=len(result.to_close),
            actor=getattr(actor, "user", None),
        )
        # PostgreSQL: analyse the offers once committed, so that the search keeps its indexes.
        planner.refresh_statistics(JobOffer)
    return run


def sync(drafts, *, source, partner_name="", file_name="", actor=None):
    result = plan(drafts, source=source, partner_name=partner_name)
    return apply(result, source=source, partner_name=partner_name, file_name=file_name, actor=actor)
