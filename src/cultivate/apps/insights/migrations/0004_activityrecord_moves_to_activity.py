"""ActivityRecord now belongs to the activity app; its table stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0003_healthsnapshot_network_layout"),
        ("activity", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ActivityRecord")],
        ),
    ]
