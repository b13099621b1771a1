"""Bring a table in line with wanted rows in a few bulk queries (idempotent imports)."""

from tisserand.core.planner import refresh_statistics

BATCH_SIZE = 1000


def sync_by_key(model, key, wanted, missing_fields=None):
    """Creates or updates ``model`` rows so that row ``key=k`` has fields ``wanted[k]``.

    Rows absent from ``wanted`` are kept; when ``missing_fields`` is given they receive these
    values (e.g. ``{"is_former": True}``). Returns ``{key value: primary key}`` of all rows.
    """
    field_names = sorted({name for fields in wanted.values() for name in fields})
    existing = {getattr(obj, key): obj for obj in model.objects.only(key, *field_names)}
    to_create, to_update = [], []
    for value, fields in wanted.items():
        obj = existing.get(value)
        if obj is None:
            to_create.append(model(**{key: value}, **fields))
        elif _assign(obj, fields):
            to_update.append(obj)
    if missing_fields:
        for value, obj in existing.items():
            if value not in wanted and _assign(obj, missing_fields):
                to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_create:
        refresh_statistics(model)
    update_fields = sorted(set(field_names) | set(missing_fields or ()))
    if to_update:
        model.objects.bulk_update(to_update, update_fields, batch_size=BATCH_SIZE)
    return dict(model.objects.values_list(key, "pk"))


def _assign(obj, fields):
    """Sets ``fields`` on ``obj``; whether anything changed."""
    changed = False
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
