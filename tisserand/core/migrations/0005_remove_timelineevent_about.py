from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_timeline_about_to_mentions'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='timelineevent',
            name='timeline_about_idx',
        ),
        migrations.RemoveField(
            model_name='timelineevent',
            name='about_id',
        ),
        migrations.RemoveField(
            model_name='timelineevent',
            name='about_type',
        ),
    ]
