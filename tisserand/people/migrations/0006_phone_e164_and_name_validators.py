import tisserand.core.validators
from django.db import migrations, models

from tisserand.core.stored_phones import normalise_stored_phones


def normalise(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    normalise_stored_phones(Person, lambda row: f"personne {row.public_id}")


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_france_travail_id_and_referrer'),
    ]

    operations = [
        migrations.RunPython(normalise, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='person',
            name='birth_name',
            field=models.CharField(blank=True, max_length=150, validators=[tisserand.core.validators.validate_person_name], verbose_name='nom de naissance'),
        ),
        migrations.AlterField(
            model_name='person',
            name='email',
            field=models.EmailField(blank=True, max_length=254, verbose_name='adresse e-mail'),
        ),
        migrations.AlterField(
            model_name='person',
            name='first_name',
            field=models.CharField(max_length=150, validators=[tisserand.core.validators.validate_person_name], verbose_name='prénom'),
        ),
        migrations.AlterField(
            model_name='person',
            name='last_name',
            field=models.CharField(max_length=150, validators=[tisserand.core.validators.validate_person_name], verbose_name='nom'),
        ),
        migrations.AlterField(
            model_name='person',
            name='phone',
            field=models.CharField(blank=True, max_length=20, validators=[tisserand.core.validators.validate_phone], verbose_name='téléphone'),
        ),
    ]
