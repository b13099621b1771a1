"""The parts of a person's record that a consent may share with another structure.

A scope is registered by the app whose rule shows that part of the record and so honours the
consent (people: identity, situation; accompaniment: the path and the exits; appointments), in
its ``registrations.py``: ``register_honoured(ConsentScope.X)`` for today's stored codes, or
``register(Scope(key, label))`` for a new one. A scope no installed app honours is neither
offered nor accepted (``people.consent_rules``). The consent form, ``PersonAccess`` and the
person page read this registry.
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


def register_honoured(choice):
    """Registers a ``ConsentScope`` member, in the order of the choices."""
    position = list(type(choice)).index(choice)
    return register(Scope(choice.value, choice.label, order=(position + 1) * 10))


def codes():
    return frozenset(scope.key for scope in scopes)


def choices():
    return [(scope.key, scope.label) for scope in scopes]


def labels():
    return {scope.key: scope.label for scope in scopes}
