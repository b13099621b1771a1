"""Retention of the send log of the offer alerts (which offer went to which saved search): a
line goes 12 months after the sending once its offer is no longer published (while it is, the
line keeps the offer from being sent twice)."""

from tisserand.core import retention
from tisserand.opportunities.models import AlertDelivery, JobOffer

SEND_LOG_MONTHS = 12


def due(today):
    return retention.without_holds(
        AlertDelivery.objects.filter(
            sent_at__lt=retention.cutoff(today, months=SEND_LOG_MONTHS)
        ).exclude(offer__in=JobOffer.objects.searchable())
    )


def register_all():
    retention.register(
        retention.RetentionRule(
            key="opportunities.alert_deliveries",
            data="Journal d'envoi des alertes d'offres par e-mail",
            duration=f"{SEND_LOG_MONTHS} mois",
            starts_from="de l'envoi, une fois l'offre dépubliée",
            legal_ground=(
                "Minimisation (RGPD, art. 5.1.c et e) : le journal ne sert qu'à ne pas envoyer "
                "deux fois une offre"
            ),
            action="suppression",
            due=due,
            process=retention.delete_rows,
            describe=lambda delivery: f"envoi du {delivery.sent_at:%d/%m/%Y}",
            order=800,
        )
    )
