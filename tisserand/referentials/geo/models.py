"""The territory: regions, départements, communes and their postal codes, bassins d'emploi,
EPCI, and priority neighbourhoods (QPV) with their contours."""

import uuid

from django.db import models
from django.db.models import Q

from tisserand.referentials.geo import cog


def _matches(field, pattern, name):
    return models.CheckConstraint(condition=Q(**{f"{field}__regex": pattern}), name=name)


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=2, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]
        constraints = [_matches("code", cog.REGION_CODE_PATTERN, "geo_region_code_format")]

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="departements"
    )

    class Meta:
        verbose_name = "département"
        ordering = ["code"]
        constraints = [
            _matches("code", cog.DEPARTEMENT_CODE_PATTERN, "geo_departement_code_format")
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class BassinEmploi(models.Model):
    """A labour-market area of France Travail (BE19 zoning)."""

    code = models.CharField("code", max_length=4, unique=True)
    name = models.CharField("nom", max_length=100, blank=True)

    class Meta:
        verbose_name = "bassin d'emploi"
        verbose_name_plural = "bassins d'emploi"
        ordering = ["code"]
        constraints = [_matches("code", cog.BASSIN_CODE_PATTERN, "geo_bassin_code_format")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return f"{self.name} ({self.code})" if self.name else f"Bassin d'emploi {self.code}"


class Epci(models.Model):
    """An intercommunal body with its own tax (métropole, communauté urbaine, d'agglomération…)."""

    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("nom", max_length=200, blank=True)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name", "siren"]
        constraints = [_matches("siren", cog.SIREN_PATTERN, "geo_epci_siren_format")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.name or f"EPCI {self.siren}"


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100)
    # search_key(name): lower case, no accents, for accent-insensitive search.
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="communes"
    )
    bassin = models.ForeignKey(
        BassinEmploi,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name="bassin d'emploi",
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes"
    )
    # Centroid published by La Poste (WGS84).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Listed only in the INSEE history of communes: neither La Poste nor France Travail lists
    # it any more (merged into another commune, or a pre-1976 Corsican code).
    is_former = models.BooleanField("ancienne commune", default=False)

    class Meta:
        verbose_name = "commune"
        ordering = ["name", "insee_code"]
        constraints = [
            _matches("insee_code", cog.INSEE_CODE_PATTERN, "geo_commune_insee_code_format"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="geo_commune_centroid_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"

    @property
    def has_centroid(self):
        return self.latitude is not None and self.longitude is not None


class PostalCode(models.Model):
    """One postal code of one commune (a commune has several; a code covers several communes)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")
    code = models.CharField("code postal", max_length=5, db_index=True)

    class Meta:
        verbose_name = "code postal"
        verbose_name_plural = "codes postaux"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="geo_postal_code_unique"),
            _matches("code", cog.POSTAL_CODE_PATTERN, "geo_postal_code_format"),
        ]

    def __str__(self):
        return self.code


class GeoImport(models.Model):
    """One import of the communes and bassins files: when, from where, what it counted."""

    imported_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=500)
    communes = models.PositiveIntegerField(default=0)
    postal_codes = models.PositiveIntegerField(default=0)
    bassins = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"Import des communes du {self.imported_at:%d/%m/%Y %H:%M}"


class QpvImport(models.Model):
    """One import of the QPV contours. Its token tells in-memory indexes they are stale."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    imported_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=500)
    qpv_count = models.PositiveIntegerField(default=0)
    # Codes of the QPV whose outline was invalid in the file (crossing itself…) and mended.
    repaired_codes = models.JSONField("contours réparés", default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"Import des QPV du {self.imported_at:%d/%m/%Y %H:%M}"


class Qpv(models.Model):
    """A priority neighbourhood of the city policy (quartier prioritaire), 2024 list."""

    code = models.CharField("code", max_length=8, unique=True)
    name = models.CharField("nom", max_length=200)
    departement_code = models.CharField("département", max_length=3)
    communes = models.ManyToManyField(Commune, related_name="qpvs", blank=True)
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="qpvs"
    )
    # WGS84 (multi)polygon as WKB, and its bounding box.
    geometry = models.BinaryField()
    min_longitude = models.FloatField()
    min_latitude = models.FloatField()
    max_longitude = models.FloatField()
    max_latitude = models.FloatField()
    source = models.ForeignKey(QpvImport, on_delete=models.PROTECT, related_name="qpvs")

    class Meta:
        verbose_name = "quartier prioritaire (QPV)"
        verbose_name_plural = "quartiers prioritaires (QPV)"
        ordering = ["code"]
        constraints = [_matches("code", r"^QN[0-9]{2}[0-9AB][0-9]{2}[A-Z]$", "geo_qpv_code_format")]

    def __str__(self):
        return f"{self.name} ({self.code})"
