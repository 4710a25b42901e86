from django.contrib import admin

from .models import ActivityRecord


@admin.register(ActivityRecord)
class ActivityRecordAdmin(admin.ModelAdmin[ActivityRecord]):
    list_display = ("at", "community", "actor", "verb", "object_type", "object_pk", "target_actor")
    list_filter = ("verb", "source", "community")
    raw_id_fields = ("actor", "target_actor")
