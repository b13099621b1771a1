from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "tisserand.referentials.geo"
    label = "geo"
    verbose_name = "Géographie et QPV"
