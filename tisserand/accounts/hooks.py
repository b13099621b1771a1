"""What the accounts app asks of the apps above it (``tisserand.core.registry.Hooks``).

Accounts sits below structures: it knows users, not their roles. The structures app provides
these hooks in its ``AppConfig.ready()``; each fallback is what holds without it.
"""

from tisserand.core.registry import Hooks

hooks = Hooks("comptes")

SEES_PERSONAL_DATA = "sees_personal_data"
# Without the structures app nobody holds a role, so nobody's role opens personal data.
hooks.declare(SEES_PERSONAL_DATA, lambda user: False)


def sees_personal_data(user):
    """Whether one of the user's active roles lets them open personal data (MFA rule)."""
    return hooks.call(SEES_PERSONAL_DATA, user)
