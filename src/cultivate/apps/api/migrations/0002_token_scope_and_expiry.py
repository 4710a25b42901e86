"""Tokens carry a scope and an expiry (issue 16).

Tokens made before could write and never expired: they keep writing, and expire a year from now.
"""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def open_ended_tokens_expire_in_a_year(apps, schema_editor):
    token = apps.get_model("api", "PersonalAccessToken")
    token.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + timedelta(days=365)
    )


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="personalaccesstoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("write", "Read and write")],
                default="write",
                max_length=8,
            ),
        ),
        migrations.AlterField(
            model_name="personalaccesstoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("write", "Read and write")],
                default="read",
                max_length=8,
            ),
        ),
        migrations.RunPython(open_ended_tokens_expire_in_a_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="personalaccesstoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
