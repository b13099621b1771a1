from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "tisserand.referentials.trainings"
    label = "trainings"
    verbose_name = "Offres de formation (LHÉO)"

    def ready(self):
        from tisserand.referentials.trainings import registrations

        registrations.register_all()
