from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from tisserand.referentials.vocabularies import api


@deconstructible
class TermCodeValidator:
    """For a model field storing a term's code: the code exists in the vocabulary."""

    def __init__(self, vocabulary):
        self.vocabulary = vocabulary

    def __call__(self, value):
        if value and not api.is_known(self.vocabulary, value):
            raise ValidationError(
                "« %(value)s » n'est pas un code connu de ce vocabulaire.",
                code="unknown_term",
                params={"value": value},
            )

    def __eq__(self, other):
        return isinstance(other, TermCodeValidator) and other.vocabulary == self.vocabulary
