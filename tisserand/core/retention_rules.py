"""The socle's own retention rule: the access log."""

from tisserand.core import retention
from tisserand.core.models import RecordAccess

ACCESS_LOG_MONTHS = 12


def access_log_due(today):
    old = RecordAccess.objects.filter(
        accessed_at__lt=retention.cutoff(today, months=ACCESS_LOG_MONTHS)
    )
    return retention.without_holds(old)


def register_all():
    retention.register(
        retention.RetentionRule(
            key="core.access_log",
            data="Journal des accès aux dossiers des personnes",
            duration=f"{ACCESS_LOG_MONTHS} mois",
            starts_from="de l'ouverture du dossier",
            legal_ground=(
                "CNIL, recommandation relative aux mesures de journalisation (2021) : 6 mois à 1 an"
            ),
            action="suppression",
            due=access_log_due,
            process=retention.delete_rows,
            describe=lambda row: f"accès du {row.accessed_at:%d/%m/%Y} à {row.subject_label}",
            order=900,
        )
    )
