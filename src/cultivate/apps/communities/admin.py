from django.contrib import admin

from .models import Community, Flag, Membership, ModerationLogEntry


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin[Community]):
    list_display = ("name", "slug", "practice", "visibility", "member_count")
    search_fields = ("name", "practice")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("community", "user", "role", "state")
    list_filter = ("role", "state", "community")
    raw_id_fields = ("user", "invited_by")


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin[Flag]):
    list_display = ("community", "content_type", "object_id", "flagged_by", "created_at")


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(admin.ModelAdmin[ModerationLogEntry]):
    list_display = ("community", "actor", "action", "subject", "created_at")
    list_filter = ("action",)
