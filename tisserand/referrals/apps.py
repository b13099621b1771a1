from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "tisserand.referrals"
    label = "referrals"
    verbose_name = "Orientations"
