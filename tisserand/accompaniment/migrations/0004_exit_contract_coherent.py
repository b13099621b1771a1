"""The exit typology (``accompaniment.exit_typology``) in the database: an exit's or a
follow-up's contract type must suit its exit type. Rows stored before that rule keep their exit
type; an incoherent contract type is moved into the comment, so nothing is lost."""

from django.db import migrations, models

EXIT_CONSTRAINT = models.CheckConstraint(
    condition=models.Q(
        ("exit_contract_type", ""),
        models.Q(
            (
                "exit_type__in",
                [
                    "cdi",
                    "cdd_6_months_plus",
                    "temp_work_6_months_plus",
                    "civil_service",
                    "business_creation",
                    "cdd_under_6_months",
                    "temp_work_under_6_months",
                    "subsidised_contract",
                    "qualifying_training",
                    "siae_hire",
                    "job_seeker",
                    "inactive",
                    "moved_away",
                    "lost_contact",
                    "health",
                    "dropped_out",
                    "other_reason",
                ],
            ),
            _negated=True,
        ),
        models.Q(("exit_contract_type__in", ["cdi", "cdi_temp_work"]), ("exit_type", "cdi")),
        models.Q(
            (
                "exit_contract_type__in",
                [
                    "cdd",
                    "cdd_tremplin",
                    "apprenticeship",
                    "professionalisation",
                    "public_contract_agent",
                ],
            ),
            ("exit_type", "cdd_6_months_plus"),
        ),
        models.Q(
            ("exit_contract_type__in", ["temp_work"]), ("exit_type", "temp_work_6_months_plus")
        ),
        models.Q(
            ("exit_contract_type__in", ["civil_servant", "public_contract_agent"]),
            ("exit_type", "civil_service"),
        ),
        models.Q(
            ("exit_contract_type__in", ["cdd", "cdd_tremplin", "public_contract_agent"]),
            ("exit_type", "cdd_under_6_months"),
        ),
        models.Q(
            ("exit_contract_type__in", ["temp_work"]), ("exit_type", "temp_work_under_6_months")
        ),
        models.Q(("exit_contract_type__in", ["pec_cui"]), ("exit_type", "subsidised_contract")),
        models.Q(
            ("exit_contract_type__in", ["apprenticeship", "professionalisation"]),
            ("exit_type", "qualifying_training"),
        ),
        models.Q(("exit_contract_type__in", ["cddi", "ctti"]), ("exit_type", "siae_hire")),
        _connector="OR",
    ),
    name="accomp_exit_contract_coherent",
    violation_error_message="Ce type de contrat ne correspond pas au type de sortie.",
)
FOLLOW_UP_CONSTRAINT = models.CheckConstraint(
    condition=models.Q(
        ("contract_type", ""),
        models.Q(
            (
                "situation__in",
                [
                    "cdi",
                    "cdd_6_months_plus",
                    "temp_work_6_months_plus",
                    "civil_service",
                    "business_creation",
                    "cdd_under_6_months",
                    "temp_work_under_6_months",
                    "subsidised_contract",
                    "qualifying_training",
                    "siae_hire",
                    "job_seeker",
                    "inactive",
                    "moved_away",
                    "lost_contact",
                    "health",
                    "dropped_out",
                    "other_reason",
                ],
            ),
            _negated=True,
        ),
        models.Q(("contract_type__in", ["cdi", "cdi_temp_work"]), ("situation", "cdi")),
        models.Q(
            (
                "contract_type__in",
                [
                    "cdd",
                    "cdd_tremplin",
                    "apprenticeship",
                    "professionalisation",
                    "public_contract_agent",
                ],
            ),
            ("situation", "cdd_6_months_plus"),
        ),
        models.Q(("contract_type__in", ["temp_work"]), ("situation", "temp_work_6_months_plus")),
        models.Q(
            ("contract_type__in", ["civil_servant", "public_contract_agent"]),
            ("situation", "civil_service"),
        ),
        models.Q(
            ("contract_type__in", ["cdd", "cdd_tremplin", "public_contract_agent"]),
            ("situation", "cdd_under_6_months"),
        ),
        models.Q(("contract_type__in", ["temp_work"]), ("situation", "temp_work_under_6_months")),
        models.Q(("contract_type__in", ["pec_cui"]), ("situation", "subsidised_contract")),
        models.Q(
            ("contract_type__in", ["apprenticeship", "professionalisation"]),
            ("situation", "qualifying_training"),
        ),
        models.Q(("contract_type__in", ["cddi", "ctti"]), ("situation", "siae_hire")),
        _connector="OR",
    ),
    name="follow_up_contract_coherent",
    violation_error_message="Ce type de contrat ne correspond pas à la situation.",
)


def _clear_incoherent(rows, contract_field, comment_field, labels):
    for row in rows:
        code = getattr(row, contract_field)
        note = (
            f"Type de contrat « {labels.get(code, code)} » retiré : il ne correspondait pas "
            "au type de sortie."
        )
        comment = getattr(row, comment_field)
        setattr(row, comment_field, f"{comment}\n{note}" if comment else note)
        setattr(row, contract_field, "")
        row.save(update_fields=[contract_field, comment_field])


def clear_incoherent_contracts(apps, schema_editor):
    Term = apps.get_model("vocabularies", "Term")
    labels = dict(
        Term.objects.filter(vocabulary__code="contract_type").values_list("code", "label")
    )
    Accompaniment = apps.get_model("accompaniment", "Accompaniment")
    SixMonthFollowUp = apps.get_model("accompaniment", "SixMonthFollowUp")
    _clear_incoherent(
        Accompaniment.objects.exclude(EXIT_CONSTRAINT.condition),
        "exit_contract_type",
        "exit_comment",
        labels,
    )
    _clear_incoherent(
        SixMonthFollowUp.objects.exclude(FOLLOW_UP_CONSTRAINT.condition),
        "contract_type",
        "comment",
        labels,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accompaniment", "0003_programme_label_unique_case_insensitive"),
        ("vocabularies", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(clear_incoherent_contracts, migrations.RunPython.noop),
        migrations.AddConstraint(model_name="accompaniment", constraint=EXIT_CONSTRAINT),
        migrations.AddConstraint(model_name="sixmonthfollowup", constraint=FOLLOW_UP_CONSTRAINT),
    ]
