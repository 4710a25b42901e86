"""The table the rate limits count in when there is no Redis (settings CACHES["limits"])."""

from django.core.management import call_command
from django.db import migrations

TABLE = "cultivate_rate_limits"


def rate_limit_table_create(apps, schema_editor):
    """Made whatever the cache settings say now, so switching Redis off later needs no step.

    createcachetable makes only what is missing: running it again changes nothing.
    """
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_person_time_zone")]

    operations = [migrations.RunPython(rate_limit_table_create, migrations.RunPython.noop)]
