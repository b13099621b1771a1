"""The access log: each opening of a person's record is written here."""

from django.contrib.contenttypes.models import ContentType

from tisserand.core.models import RecordAccess


def log_record_access(request, subject, *, owner_structure, label=None):
    membership = getattr(request, "membership", None)
    return RecordAccess.objects.create(
        user=request.user,
        acting_structure=membership.structure if membership else None,
        owner_structure=owner_structure,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        subject_label=(label or str(subject))[:200],
        path=request.get_full_path()[:300],
    )


def accesses_to_records_of(structure):
    return RecordAccess.objects.filter(owner_structure=structure).select_related(
        "user", "acting_structure", "subject_type"
    )
