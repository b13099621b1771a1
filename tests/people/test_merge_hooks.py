"""Merging re-points the relations each app registers, and refuses an unregistered one."""

import pytest

from tests.people.factories import PersonFactory
from tisserand.core.actor import Actor
from tisserand.people import merging
from tisserand.people.merging import MergeError, merge_persons, unregistered_relations
from tisserand.people.models import Note, Person


def test_every_relation_to_persons_has_a_merge_hook():
    """A new model pointing to persons must register how a merge re-points it."""
    assert unregistered_relations() == []


def test_a_relation_without_hook_refuses_the_merge(person, referent, structure):
    duplicate = PersonFactory(owner_structure=structure)
    Note.objects.create(person=duplicate, author=referent.user, structure=structure, text="Noté")
    hook = merging.merge_hooks.get("people.Note.person")
    merging.merge_hooks.unregister(hook.key)
    try:
        with pytest.raises(MergeError, match="people.Note.person"):
            merge_persons(person, duplicate, actor=Actor.of(referent))
    finally:
        merging.register(hook)
    assert Person.objects.filter(pk=duplicate.pk).exists()
    assert Note.objects.get().person == duplicate
