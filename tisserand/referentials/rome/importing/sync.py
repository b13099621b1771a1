"""Bringing a table in line with an official file: fast, idempotent, never losing a code.

The ORM would build one model instance per row; referential packs hold a few hundred
thousand rows, so these helpers speak plain, portable SQL (``executemany`` with parameters,
the same text on SQLite and PostgreSQL) and compare with what is there before writing: a
second import of the same file writes nothing.
"""

from dataclasses import dataclass, field

from django.db import connection

from tisserand.core.planner import refresh_statistics

DELETE_BATCH = 500


def _quote(name):
    return connection.ops.quote_name(name)


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    obsoleted: int = 0
    deleted: int = 0
    details: dict = field(default_factory=dict)

    def as_dict(self):
        return {
            key: value
            for key, value in {
                "créés": self.created,
                "modifiés": self.updated,
                "rendus obsolètes": self.obsoleted,
                "supprimés": self.deleted,
            }.items()
            if value
        } or {"inchangés": True}


class Table:
    """Plain SQL on one model's table, with its field names mapped to columns."""

    def __init__(self, model):
        self.model = model
        self.name = _quote(model._meta.db_table)
        self.pk = model._meta.pk.column

    def column(self, field_name):
        if field_name == "pk":
            return self.pk
        return self.model._meta.get_field(field_name).column

    def _columns(self, field_names):
        return ", ".join(_quote(self.column(name)) for name in field_names)

    def select(self, field_names):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {self._columns(field_names)} FROM {self.name}")
            return cursor.fetchall()

    def insert(self, field_names, rows):
        """SQLite: one prepared statement run per row (``executemany``, the fastest there).
        PostgreSQL: ``COPY … FROM STDIN`` (psycopg 3), an order of magnitude faster than
        INSERT statements for a few hundred thousand rows."""
        if not rows:
            return
        refresh_statistics(self.model)
        columns = self._columns(field_names)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.name} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            placeholders = ", ".join(["%s"] * len(field_names))
            cursor.executemany(f"INSERT INTO {self.name} ({columns}) VALUES ({placeholders})", rows)

    def update(self, field_names, rows):
        """Each row: the new values of ``field_names``, then the primary key."""
        if not rows:
            return
        assignments = ", ".join(f"{_quote(self.column(name))} = %s" for name in field_names)
        sql = f"UPDATE {self.name} SET {assignments} WHERE {_quote(self.pk)} = %s"
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def delete(self, pks):
        pks = list(pks)
        with connection.cursor() as cursor:
            for start in range(0, len(pks), DELETE_BATCH):
                batch = pks[start : start + DELETE_BATCH]
                placeholders = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    f"DELETE FROM {self.name} WHERE {_quote(self.pk)} IN ({placeholders})", batch
                )

    def delete_all(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.name}")


def sync_references(model, key, fields, rows, version, mark_missing=True):
    """Upsert ``rows`` ({code: tuple of ``fields``}) of a ``VersionedReference`` model.

    Codes absent from ``rows`` are marked obsolete since ``version`` (never deleted) unless
    ``mark_missing`` is false; codes that come back are revived. Returns (Outcome, {code: pk}).
    """
    table = Table(model)
    state = ["is_obsolete", "obsolete_since_version"]
    width = len(fields)
    existing = {record[1]: record for record in table.select(["pk", key, *fields, *state])}
    inserts, updates, obsoletes = [], [], []
    for code, wanted in rows.items():
        record = existing.get(code)
        if record is None:
            inserts.append((code, *wanted, version, False, ""))
        elif record[-2] or record[2 : 2 + width] != wanted:
            updates.append((*wanted, False, "", record[0]))
    if mark_missing:
        obsoletes = [
            (True, version, record[0])
            for code, record in existing.items()
            if code not in rows and not record[-2]
        ]
    inserts.sort(key=lambda row: row[0])
    table.insert([key, *fields, "first_version", *state], inserts)
    table.update([*fields, *state], updates)
    table.update(state, obsoletes)
    outcome = Outcome(created=len(inserts), updated=len(updates), obsoleted=len(obsoletes))
    return outcome, dict(table.select([key, "pk"]))


def replace_codes(fields, rows, name, ids):
    """``rows`` with the official codes in field ``name`` replaced by primary keys."""
    position = fields.index(name)
    return {
        code: (*row[:position], ids.get(row[position]), *row[position + 1 :])
        for code, row in rows.items()
    }


def sync_links(model, key_fields, value_fields, rows, scope_field, scope_ids):
    """Make the link rows of the scopes in ``scope_ids`` exactly ``rows``.

    ``rows`` are tuples of the key fields' then the value fields' values (foreign keys as
    primary keys). Links of scopes outside ``scope_ids`` (e.g. obsolete fiches) are kept;
    with no ``scope_field``, the whole table is in scope.
    """
    table = Table(model)
    width = len(key_fields)
    scope_position = key_fields.index(scope_field) if scope_field else None
    wanted = {row[:width]: row[width:] for row in rows}
    outcome = Outcome()
    deletes, updates = [], []
    for pk, *record in table.select(["pk", *key_fields, *value_fields]):
        link, values = tuple(record[:width]), tuple(record[width:])
        if scope_position is not None and link[scope_position] not in scope_ids:
            continue
        if link not in wanted:
            deletes.append(pk)
            continue
        new_values = wanted.pop(link)
        if new_values != values:
            updates.append((*new_values, pk))
    table.delete(deletes)
    table.update(list(value_fields), updates)
    table.insert(
        [*key_fields, *value_fields], [(*link, *values) for link, values in wanted.items()]
    )
    outcome.created, outcome.updated, outcome.deleted = len(wanted), len(updates), len(deletes)
    if deletes:
        refresh_statistics(model)
    return outcome
