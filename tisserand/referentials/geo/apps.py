from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "tisserand.referentials.geo"
    label = "geo"
    verbose_name = "Géographie et QPV"

    def ready(self):
        from tisserand.core import pickers, reference_data
        from tisserand.referentials.geo.loader import EPCI_LOADER, LOADER
        from tisserand.referentials.geo.pickers import commune_picker

        reference_data.register(LOADER)
        reference_data.register(EPCI_LOADER)
        pickers.register(commune_picker)
