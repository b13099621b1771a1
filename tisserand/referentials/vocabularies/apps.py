from django.apps import AppConfig


class VocabulariesConfig(AppConfig):
    name = "tisserand.referentials.vocabularies"
    label = "vocabularies"
    verbose_name = "Vocabulaires contrôlés"
