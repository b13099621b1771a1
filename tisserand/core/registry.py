"""One mechanism for everything apps contribute to the socle or to each other.

A lower layer never imports a higher one. When it must show or use what a higher app knows
(the person page shows accompaniments, the caseload shows the last appointment, merging must
re-point every app's rows), it declares a ``Registry`` and the higher app registers its
contribution in ``AppConfig.ready()``.

Every registry has the same rules:

- a contribution has a key (``key_of``); registering the same key again replaces it, so a
  ``ready()`` run twice (tests, autoreload) changes nothing;
- contributions come out sorted by ``(order, key)``, so the result never depends on the order in
  which apps happen to be loaded;
- asking for an unknown key raises ``LookupError`` naming the registry.
"""

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def _default_key(item: Any) -> str:
    for attribute in ("key", "name"):
        value = getattr(item, attribute, None)
        if value:
            return value
    raise TypeError(f"{item!r} n'a ni « key » ni « name » : donnez key_of au registre.")


class Registry(Generic[T]):
    """Contributions of one kind, keyed, ordered, replaceable by key."""

    def __init__(self, name: str, *, key_of: Callable[[T], Any] = _default_key) -> None:
        self.name = name
        self._key_of = key_of
        self._items: dict[Any, T] = {}

    def register(self, item: T) -> T:
        """Adds ``item``, or replaces the contribution that has its key. Returns ``item``."""
        self._items[self._key_of(item)] = item
        return item

    def unregister(self, key: Any) -> None:
        self._items.pop(key, None)

    def get(self, key: Any) -> T:
        try:
            return self._items[key]
        except KeyError as error:
            raise LookupError(f"{self.name} : « {key} » n'est pas enregistré.") from error

    def __contains__(self, key: Any) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self.items())

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> list[T]:
        """Every contribution, sorted by ``(order, key)``."""
        return sorted(
            self._items.values(),
            key=lambda item: (getattr(item, "order", 100), str(self._key_of(item))),
        )

    def where(self, accepts: Callable[[T], bool]) -> list[T]:
        """The contributions ``accepts`` keeps, in order."""
        return [item for item in self.items() if accepts(item)]


class Hooks:
    """Named functions a higher app provides for a lower one (one provider per name).

    The lower app declares the hook and its fallback (``declare``), so it still works when the
    providing app is not installed; the higher app ``provide``s the implementation.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._fallbacks: dict[str, Callable[..., Any]] = {}
        self._providers: dict[str, Callable[..., Any]] = {}

    def declare(self, hook: str, fallback: Callable[..., Any]) -> None:
        self._fallbacks[hook] = fallback

    def provide(self, hook: str, implementation: Callable[..., Any]) -> None:
        if hook not in self._fallbacks:
            raise LookupError(f"{self.name} : le point d'extension « {hook} » n'est pas déclaré.")
        self._providers[hook] = implementation

    def withdraw(self, hook: str) -> None:
        self._providers.pop(hook, None)

    def provided(self, hook: str) -> bool:
        return hook in self._providers

    def call(self, hook: str, *args: Any, **kwargs: Any) -> Any:
        if hook in self._providers:
            return self._providers[hook](*args, **kwargs)
        try:
            fallback = self._fallbacks[hook]
        except KeyError as error:
            raise LookupError(
                f"{self.name} : le point d'extension « {hook} » n'est pas déclaré."
            ) from error
        return fallback(*args, **kwargs)
