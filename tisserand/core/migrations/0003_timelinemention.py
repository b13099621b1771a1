import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0002_timeline_about'),
    ]

    operations = [
        migrations.CreateModel(
            name='TimelineMention',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.CharField(max_length=64)),
                ('occurred_at', models.DateTimeField(verbose_name='date')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('event', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='mentions', to='core.timelineevent')),
            ],
            options={
                'verbose_name': 'mention dans un historique',
                'verbose_name_plural': 'mentions dans les historiques',
                'indexes': [models.Index(fields=['content_type', 'object_id', '-occurred_at', '-event'], name='timeline_mention_newest_idx')],
                'constraints': [models.UniqueConstraint(fields=('event', 'content_type', 'object_id'), name='timeline_mention_unique')],
            },
        ),
    ]
