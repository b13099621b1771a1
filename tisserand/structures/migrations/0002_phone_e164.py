import tisserand.core.validators
from django.db import migrations, models

from tisserand.core.stored_phones import normalise_stored_phones


def normalise(apps, schema_editor):
    Structure = apps.get_model("structures", "Structure")
    normalise_stored_phones(Structure, lambda row: f"structure {row.public_id}")


class Migration(migrations.Migration):
    """Structure phones in E.164 (a value that is no phone number is kept and reported); one
    term for e-mail."""

    dependencies = [
        ("structures", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="structure",
            name="email",
            field=models.EmailField(
                blank=True, max_length=254, verbose_name="adresse e-mail de contact"
            ),
        ),
        migrations.RunPython(normalise, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="structure",
            name="phone",
            field=models.CharField(
                blank=True,
                max_length=20,
                validators=[tisserand.core.validators.validate_phone],
                verbose_name="téléphone",
            ),
        ),
    ]
