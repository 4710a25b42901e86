from django.contrib import admin

from .models import ImportedIdentity, ImportedObject, ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = ("created_at", "community", "by", "file_name", "source", "status", "progress")
    list_filter = ("status", "source")
    raw_id_fields = ("by",)


@admin.register(ImportedIdentity)
class ImportedIdentityAdmin(admin.ModelAdmin[ImportedIdentity]):
    list_display = ("source", "key", "user")
    list_filter = ("source",)
    search_fields = ("key",)
    raw_id_fields = ("user",)


@admin.register(ImportedObject)
class ImportedObjectAdmin(admin.ModelAdmin[ImportedObject]):
    list_display = ("source", "external_id", "content_type", "object_pk")
    list_filter = ("source", "content_type")
    search_fields = ("external_id",)
