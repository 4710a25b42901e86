"""Import de-duplication per community (issue 16): each imported object notes its community,
taken from the row it was made into (every kind of imported content has one)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

_CONTENT = ("post", "question", "answer", "comment")


def communities_fill(apps, schema_editor):
    imported = apps.get_model("imports", "ImportedObject")
    content_types = apps.get_model("contenttypes", "ContentType")
    for model_name in _CONTENT:
        kind = content_types.objects.filter(app_label="sharing", model=model_name).first()
        if kind is None:
            continue
        model = apps.get_model("sharing", model_name)
        imported.objects.filter(content_type=kind).update(
            community_id=Subquery(
                model.objects.filter(pk=OuterRef("object_pk")).values("community_id")[:1]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_community_route_after_hours"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("imports", "0002_upload_deleted_at"),
        ("sharing", "0008_routedquestion"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="importedobject",
            name="one_row_per_imported_object",
        ),
        migrations.AddField(
            model_name="importedobject",
            name="community",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="communities.community",
            ),
        ),
        migrations.RunPython(communities_fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="importedobject",
            constraint=models.UniqueConstraint(
                fields=("community", "source", "external_id"),
                name="one_row_per_imported_object_and_community",
            ),
        ),
    ]
