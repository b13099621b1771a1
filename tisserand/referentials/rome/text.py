"""Text normalisation for search: lower case, no accents, no punctuation."""

from tisserand.core.text import fold as normalize

__all__ = ["normalize", "search_text"]


def search_text(*labels):
    """One normalised text for several labels, each word once, in order of appearance."""
    texts = dict.fromkeys(normalize(label) for label in labels if label)
    if len(texts) <= 1:
        return next(iter(texts), "")
    return " ".join(dict.fromkeys(" ".join(texts).split()))
