"""Tag (from sharing) and TagWatch (from notifications) move here: only Django's record of them
moves; their tables, rows and constraints stay as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("sharing", "0004_drop_unused_open_questions_index"),
        ("notifications", "0003_more_kinds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Tag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.SlugField(max_length=40, unique=True)),
                    ],
                    options={"db_table": "sharing_tag", "ordering": ["name"]},
                ),
                migrations.CreateModel(
                    name="TagWatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "tag",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="watchers",
                                to="tags.tag",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_tagwatch",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "tag"), name="one_watch_per_tag"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
