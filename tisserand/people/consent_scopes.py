"""The parts of a person's record that a consent may share with another structure.

The people app registers today's scopes (``ConsentScope``: identity, situation, accompaniment,
appointments, exits); another app adds its own with ``register(Scope(key, label))`` in its
``registrations.py``. The consent form, ``PersonAccess`` and the person page read this registry.
"""

from dataclasses import dataclass

from tisserand.core.registry import Registry


@dataclass(frozen=True)
class Scope:
    key: str  # stored in ``Consent.scopes``: never renamed once used
    label: str
    order: int = 100


# Keyed by the stored code: registering a code again replaces its label.
scopes = Registry("Informations partageables par consentement")
register = scopes.register


def codes():
    return frozenset(scope.key for scope in scopes)


def choices():
    return [(scope.key, scope.label) for scope in scopes]


def labels():
    return {scope.key: scope.label for scope in scopes}
