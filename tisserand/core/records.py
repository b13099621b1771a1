"""Record pages built from contributions: a person's page today, a company's, an offer's or an
event's next.

The app that owns a kind of record declares it (``kinds.register(RecordKind(...))``) with the
function that computes what a membership may do with one record (its *access*). Every app,
that one included, contributes ``Section``s to the page of a kind in its ``AppConfig.ready()``.

A page creates one ``RecordContext`` per request for (membership, record): it computes the
access once and holds a memo for the reads that several sections share, and it is handed to
every section's predicate and context. Nothing is stashed on the record, the request or the
membership, so two pages, two records or two memberships never see each other's facts.

A section's ``context`` must make a bounded number of queries (never one per row): a page's
query count must not grow with the record's history.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.template.loader import render_to_string

from tisserand.core.registry import Registry


@dataclass(frozen=True)
class RecordKind:
    """A kind of record that has a page: ``name`` is also the record's name in templates."""

    name: str
    # access(membership, record) -> what this membership may do with this record.
    access: Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Section:
    """One part of the page of a kind of record, contributed by an app."""

    kind: str
    key: str
    title: str
    template_name: str
    # predicate(record_context) -> whether this membership sees the section on this record.
    predicate: Callable[["RecordContext"], bool]
    # context(record_context) -> the template's context (a bounded number of queries).
    context: Callable[["RecordContext"], dict]
    order: int = 100


kinds: Registry[RecordKind] = Registry("Fiches")
sections: Registry[Section] = Registry(
    "Sections des fiches", key_of=lambda section: (section.kind, section.key)
)


def register_section(section: Section) -> Section:
    """Adds (or replaces, by kind and key) a section of a record page."""
    return sections.register(section)


def sections_of(kind: str) -> list[Section]:
    return sections.where(lambda section: section.kind == kind)


class RecordContext:
    """One record seen by one membership during one request: its access and shared reads."""

    def __init__(self, kind: str, record: Any, membership: Any, request: Any = None) -> None:
        self.kind = kinds.get(kind)
        self.record = record
        self.membership = membership
        self.request = request
        self._memo: dict[str, Any] = {}

    @cached_property
    def access(self) -> Any:
        """What the membership may do with the record, computed once."""
        return self.kind.access(self.membership, self.record)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` the first time ``key`` is asked, the same value afterwards."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def sections(self) -> list[Section]:
        """The sections this membership sees on this record, in order."""
        return [section for section in sections_of(self.kind.name) if section.predicate(self)]

    def rendered_sections(self) -> list[tuple[Section, str]]:
        """Each visible section with its HTML."""
        return [(section, self._render(section)) for section in self.sections()]

    def _render(self, section: Section) -> str:
        context = {self.kind.name: self.record, "panel": section, **section.context(self)}
        return render_to_string(section.template_name, context, request=self.request)
