"""ActivityRecord moves here from insights: only Django's record of it moves; the table,
its rows, index and constraint stay as they are (insights 0004 forgets it on its side)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("communities", "0001_initial"),
        ("insights", "0003_healthsnapshot_network_layout"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ActivityRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("source", models.CharField(default="cultivate", max_length=30)),
                        (
                            "external_id",
                            models.CharField(
                                blank=True,
                                help_text="The id an import gave it, for idempotence.",
                                max_length=200,
                                null=True,
                            ),
                        ),
                        (
                            "verb",
                            models.CharField(
                                choices=[
                                    ("meet", "meet"),
                                    ("attend", "attend"),
                                    ("pair", "pair"),
                                    ("share", "share"),
                                    ("ask", "ask"),
                                    ("answer", "answer"),
                                    ("reply", "reply"),
                                    ("accept", "accept"),
                                    ("react", "react"),
                                    ("propose", "propose"),
                                    ("vote", "vote"),
                                    ("decide", "decide"),
                                    ("commit", "commit"),
                                    ("complete", "complete"),
                                    ("celebrate", "celebrate"),
                                    ("plan", "plan"),
                                    ("contribute", "contribute"),
                                    ("publish", "publish"),
                                    ("request", "request"),
                                    ("help", "help"),
                                    ("join", "join"),
                                    ("leave", "leave"),
                                    ("invite", "invite"),
                                    ("edit", "edit"),
                                    ("flag", "flag"),
                                    ("moderate", "moderate"),
                                ],
                                max_length=12,
                            ),
                        ),
                        ("object_type", models.CharField(max_length=30)),
                        ("object_pk", models.PositiveBigIntegerField()),
                        ("parent_type", models.CharField(blank=True, max_length=30)),
                        ("parent_pk", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("at", models.DateTimeField(db_index=True)),
                        ("text", models.TextField(blank=True)),
                        ("meta", models.JSONField(blank=True, default=dict)),
                        (
                            "actor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "community",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="activities",
                                to="communities.community",
                            ),
                        ),
                        (
                            "target_actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "insights_activityrecord",
                        "ordering": ["at", "id"],
                        "indexes": [
                            models.Index(fields=["community", "at"], name="insights_ac_communi_018f1e_idx")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("external_id__isnull", False)),
                                fields=("source", "external_id"),
                                name="one_activity_per_external_id",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
