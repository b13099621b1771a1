from django.apps import AppConfig


class VocabulariesConfig(AppConfig):
    name = "tisserand.referentials.vocabularies"
    label = "vocabularies"
    verbose_name = "Vocabulaires contrôlés"

    def ready(self):
        from tisserand.core import reference_data
        from tisserand.referentials.vocabularies import loading

        reference_data.register(
            reference_data.Loader("Vocabulaires contrôlés", loading.load, order=5)
        )
