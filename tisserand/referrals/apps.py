"""Referrals: the directory of the partners' services (data·inclusion schema) and the referrals of
a person to a service.
"""

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "tisserand.referrals"
    label = "referrals"
    verbose_name = "Orientations"

    def ready(self):
        from tisserand.referrals import registrations

        registrations.register_all()
