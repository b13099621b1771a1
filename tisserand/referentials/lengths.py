"""The one length rule of every import: a text must fit the model column it goes to.

SQLite stores a text of any length in a ``varchar(n)``, PostgreSQL refuses it, and cutting it
would store something the file does not say: an import checks each text against
``max_length`` of its model field before writing, and refuses the file at the first one that
does not fit, naming where it is.
"""

SHOWN = 40  # longer values are shown cut, in the message only


def field_of(model, name):
    return model._meta.get_field(name)


def length_problem(value, field):
    """The French reason why ``value`` does not fit ``field``, or None when it does."""
    limit = field.max_length
    if limit is None or len(value) <= limit:
        return None
    shown = value if len(value) <= SHOWN else value[: SHOWN - 10].rstrip() + "…"
    return (
        f"« {shown} » : {len(value)} caractères, trop long pour « {field.verbose_name} » "
        f"({limit} au plus)."
    )


def first_too_long(values, field):
    """(index, reason) of the first of ``values`` that does not fit ``field``, or None."""
    limit = field.max_length
    if limit is None or not values or max(map(len, values)) <= limit:
        return None
    at = next(at for at, value in enumerate(values) if len(value) > limit)
    return at, length_problem(values[at], field)
