"""Helpers for the tests of ``core.registry.Hooks``: run code as if the provider were absent."""

from contextlib import contextmanager


@contextmanager
def withdrawn(hooks, hook, implementation):
    """Withdraws ``hook``'s provider for the block, then provides ``implementation`` again (the
    one the providing app's ``ready()`` gave)."""
    assert hooks.provided(hook), f"{hook} should be provided by an installed app"
    hooks.withdraw(hook)
    try:
        yield
    finally:
        hooks.provide(hook, implementation)
