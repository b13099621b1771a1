from dataclasses import dataclass

import pytest

from tisserand.core.registry import Hooks, Registry


@dataclass(frozen=True)
class Item:
    key: str
    order: int = 100


def test_registering_a_key_again_replaces_it():
    registry = Registry("essai")
    registry.register(Item("a", order=5))
    registry.register(Item("a", order=1))
    assert registry.items() == [Item("a", order=1)]


def test_items_come_sorted_by_order_then_key_whatever_the_registration_order():
    registry = Registry("essai")
    for item in (Item("c", 2), Item("b", 1), Item("a", 2)):
        registry.register(item)
    assert [item.key for item in registry.items()] == ["b", "a", "c"]
    assert [item.key for item in registry.where(lambda item: item.order == 2)] == ["a", "c"]


def test_an_unknown_key_names_the_registry():
    registry = Registry("panneaux")
    with pytest.raises(LookupError, match="panneaux"):
        registry.get("absent")
    registry.unregister("absent")  # no error


def test_an_item_without_key_needs_key_of():
    with pytest.raises(TypeError):
        Registry("essai").register(object())
    registry = Registry("essai", key_of=lambda item: item[0])
    registry.register(("x", 1))
    assert "x" in registry and len(registry) == 1


def test_a_hook_falls_back_until_provided():
    hooks = Hooks("essai")
    hooks.declare("last_contact", lambda person: None)
    assert hooks.call("last_contact", 1) is None
    assert not hooks.provided("last_contact")
    hooks.provide("last_contact", lambda person: person + 1)
    assert hooks.call("last_contact", 1) == 2
    hooks.withdraw("last_contact")
    assert hooks.call("last_contact", 1) is None


def test_an_undeclared_hook_is_refused():
    hooks = Hooks("essai")
    with pytest.raises(LookupError):
        hooks.provide("nothing", lambda: 1)
    with pytest.raises(LookupError):
        hooks.call("nothing")
