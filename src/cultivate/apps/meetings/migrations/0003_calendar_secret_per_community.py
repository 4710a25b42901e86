"""A calendar secret opens one community's feed (issue 16): the old per-person secrets, which
opened every community the person was in, are dropped; each member gets a new link per
community the next time they open its events page."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def secrets_that_opened_everything_drop(apps, schema_editor):
    apps.get_model("meetings", "CalendarToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_community_route_after_hours"),
        ("meetings", "0002_event_changes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(secrets_that_opened_everything_drop, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="calendartoken",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="calendar_tokens",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="calendartoken",
            name="community",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="communities.community",
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="calendartoken",
            constraint=models.UniqueConstraint(
                fields=("user", "community"), name="one_calendar_secret_per_community"
            ),
        ),
    ]
