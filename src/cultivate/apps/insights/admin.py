from django.contrib import admin

from .models import ActivityRecord, HealthSnapshot


@admin.register(ActivityRecord)
class ActivityRecordAdmin(admin.ModelAdmin[ActivityRecord]):
    list_display = ("at", "community", "actor", "verb", "object_type", "object_pk", "target_actor")
    list_filter = ("verb", "source", "community")
    raw_id_fields = ("actor", "target_actor")


@admin.register(HealthSnapshot)
class HealthSnapshotAdmin(admin.ModelAdmin[HealthSnapshot]):
    list_display = ("community", "day", "level", "health_score", "trend", "risk", "computed_at")
    list_filter = ("level", "community")
    date_hierarchy = "as_of"
    readonly_fields = ("computed_at",)
