"""Tag now belongs to the tags app; its table and the questions' tag links stay as they are."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0004_drop_unused_open_questions_index"),
        ("tags", "0001_initial"),
        ("notifications", "0004_tagwatch_moves_to_tags"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="question",
                    name="tags",
                    field=models.ManyToManyField(
                        blank=True, related_name="questions", to="tags.tag"
                    ),
                ),
                migrations.DeleteModel(name="Tag"),
            ],
        ),
    ]
