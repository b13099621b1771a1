"""Name keys without accents, case or punctuation ("Lefèvre-Durand" → "lefevre durand")."""

from tisserand.core.text import fold as normalise_name

__all__ = ["name_key", "normalise_name"]


def name_key(*names):
    """The normalised names joined, for searching a person by any of their names."""
    return " ".join(key for key in (normalise_name(name) for name in names) if key)
