"""Whether an uploaded import keeps people's names (issue 16 point 6): pseudonyms by default."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0003_dedup_per_community"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="keep_names",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Keep people's names and e-mail addresses; otherwise they are imported "
                    "under pseudonyms."
                ),
            ),
        ),
    ]
