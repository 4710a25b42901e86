from django.contrib import admin

from .models import HealthSnapshot


@admin.register(HealthSnapshot)
class HealthSnapshotAdmin(admin.ModelAdmin[HealthSnapshot]):
    list_display = ("community", "day", "level", "health_score", "trend", "risk", "computed_at")
    list_filter = ("level", "community")
    date_hierarchy = "as_of"
    readonly_fields = ("computed_at",)
