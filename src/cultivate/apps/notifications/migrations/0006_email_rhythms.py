"""Each kind's e-mail choice becomes a rhythm (daily summary, at once, never) instead of on/off.

A kind someone had turned off stays off; every other becomes the new default: the daily summary,
and for event notices (reminders must arrive before the event) at once.
"""

from django.db import migrations, models

KINDS = (
    ("answer", "answers to my questions"),
    ("comment", "comments on what I wrote"),
    ("mention", "mentions of me"),
    ("accepted", "my answer accepted"),
    ("watched_question", "new questions I watch"),
    ("event", "events I signed up for"),
    ("coffee", "my coffee pairings"),
    ("decision", "proposals and their outcomes"),
    ("action", "action items given to me"),
    ("kudos", "kudos to me"),
    ("milestone", "wins in my communities"),
    ("review", "best-practice reviews"),
    ("help", "help requests and contributions"),
)
CHOICES = [("daily", "In a daily summary"), ("now", "At once, one e-mail each"), ("off", "Never")]


def keep_what_was_off(apps, schema_editor):
    EmailPreferences = apps.get_model("notifications", "EmailPreferences")
    for kind, _ in KINDS:
        EmailPreferences.objects.filter(**{f"{kind}_was": False}).update(**{kind: "off"})


def back_to_on_and_off(apps, schema_editor):
    EmailPreferences = apps.get_model("notifications", "EmailPreferences")
    for kind, _ in KINDS:
        EmailPreferences.objects.filter(**{kind: "off"}).update(**{f"{kind}_was": False})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_notices_worded_when_read")]

    operations = [
        migrations.AddField(
            model_name="emailpreferences",
            name="summary_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        *[migrations.RenameField("emailpreferences", kind, f"{kind}_was") for kind, _ in KINDS],
        *[
            migrations.AddField(
                model_name="emailpreferences",
                name=kind,
                field=models.CharField(
                    label,
                    choices=CHOICES,
                    default="now" if kind == "event" else "daily",
                    max_length=5,
                ),
            )
            for kind, label in KINDS
        ],
        migrations.RunPython(keep_what_was_off, back_to_on_and_off),
        *[migrations.RemoveField("emailpreferences", f"{kind}_was") for kind, _ in KINDS],
    ]
