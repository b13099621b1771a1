from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tisserand.accounts"
    label = "accounts"
    verbose_name = "Comptes"
