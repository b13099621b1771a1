"""Supporting documents (*pièces justificatives*): one mechanism for every kind of record.

A ``Document`` is attached to an item of a record (a person's public status, a consent, an
attestation, the person itself…) through a generic link. The app owning the item's model
registers an ``Attachable`` in ``AppConfig.ready()``: how to load the record whose rule applies,
the rule itself, and what the access log writes. Nothing else may open a document:

- the type is read from the file's first bytes (PDF, JPEG, PNG), never from its name or the
  browser's word, and the size is bounded (``TISSERAND_DOCUMENT_MAX_BYTES``);
- files are stored through Django's storage under ``MEDIA_ROOT`` (``var/documents`` by default,
  outside the static files, with no URL of its own) under a random name;
- ``core.views.document_open`` serves a document only when the owning record's rule holds,
  and writes each opening in the access log;
- a document goes with its item: the item's model declares ``GenericRelation(Document)`` so
  deleting the item deletes its documents, and the file is removed once the deletion commits.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import get_object_or_404

from tisserand.core.errors import DomainError
from tisserand.core.models import Document
from tisserand.core.registry import Registry

SIGNATURES = (
    (b"%PDF-", Document.Kind.PDF),
    (b"\xff\xd8\xff", Document.Kind.JPEG),
    (b"\x89PNG\r\n\x1a\n", Document.Kind.PNG),
)
ACCEPTED = "PDF, JPEG ou PNG"


class DocumentError(DomainError):
    code = "document_refused"


@dataclass(frozen=True)
class Attachable:
    """A model whose rows may carry documents, registered by the app that owns it."""

    # The model's label, « app_label.modelname » (``model._meta.label_lower``).
    key: str
    # record(request, item) -> what the rule takes (a person's ``RecordContext``…).
    record: Callable[[Any, Any], Any]
    # may_open(membership, record) -> whether this membership may open the item's documents.
    may_open: Callable[[Any, Any], bool]
    # logged(record, item) -> (object logged, owner structure, label) for the access log.
    logged: Callable[[Any, Any], tuple]


attachables: Registry[Attachable] = Registry("Pièces justificatives")


def documents_relation():
    """The ``GenericRelation`` an attachable model declares, so its documents die with it."""
    return GenericRelation(
        Document, content_type_field="subject_type", object_id_field="subject_id"
    )


def max_bytes():
    return settings.TISSERAND_DOCUMENT_MAX_BYTES


def sniff(uploaded):
    """The type of ``uploaded`` read from its first bytes; ``DocumentError`` otherwise."""
    if uploaded.size == 0:
        raise DocumentError("Le fichier est vide.")
    if uploaded.size > max_bytes():
        raise DocumentError(
            f"Le fichier pèse {_megabytes(uploaded.size)} : {_megabytes(max_bytes())} au plus."
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    raise DocumentError(f"Ce fichier n'est pas un document {ACCEPTED} (son contenu a été lu).")


def _megabytes(size):
    return f"{size / 1_000_000:.1f} Mo".replace(".", ",")


class DocumentField(forms.FileField):
    """A file field accepting only what ``sniff`` accepts (checked on the content)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", f"{ACCEPTED}, {_megabytes(max_bytes())} au plus.")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.jpg,.jpeg,.png")

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded:
            try:
                sniff(uploaded)
            except DocumentError as error:
                raise forms.ValidationError(str(error), code=error.code) from error
        return uploaded


def attach(item, uploaded, *, actor, label, issued_on=None, issuer=""):
    """Stores ``uploaded`` as a document of ``item`` (an attachable model's row)."""
    key = item._meta.label_lower
    if key not in attachables:
        raise DocumentError(f"On ne joint pas de pièce à « {item._meta.verbose_name} ».")
    document = Document(
        subject=item,
        content_type=sniff(uploaded),
        size=uploaded.size,
        original_name=uploaded.name[-200:],
        label=label[:200],
        issued_on=issued_on,
        issuer=issuer,
        uploaded_by=actor.user,
    )
    document.file.save(document.public_id.hex, uploaded, save=False)
    document.save()
    return document


def documents_of(items):
    """The documents of ``items`` (rows of one model), by item pk, in one query."""
    items = list(items)
    if not items:
        return {}
    by_item = {item.pk: [] for item in items}
    for document in Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(items[0]), subject_id__in=list(by_item)
    ).select_related("uploaded_by"):
        by_item[document.subject_id].append(document)
    return by_item


def repoint(old, new):
    """The documents of ``old`` now belong to ``new`` (same model): merging two records."""
    item_type = ContentType.objects.get_for_model(old)
    return Document.objects.filter(subject_type=item_type, subject_id=old.pk).update(
        subject_id=new.pk
    )


# --- Opening a document (``core.views.document_open``) ----------------------------------------


@dataclass(frozen=True)
class DocumentRecord:
    document: Document
    attachable: Attachable
    item: Any
    record: Any


def document_record(request, public_id):
    """The document the URL designates with the record its rule reads (404 when absent)."""
    document = get_object_or_404(
        Document.objects.select_related("subject_type"), public_id=public_id
    )
    item = document.subject
    if item is None:
        raise Http404("Pièce introuvable.")
    attachable = attachables.get(item._meta.label_lower)
    return DocumentRecord(document, attachable, item, attachable.record(request, item))


def may_open_document(membership, record):
    """The owning record's rule, as its app registered it."""
    return record.attachable.may_open(membership, record.record)


@receiver(post_delete, sender=Document)
def _delete_file(sender, instance, **kwargs):
    """The file goes once the row's deletion is committed (never on a rollback)."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
