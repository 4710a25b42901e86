from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Expertise, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            "Profile",
            {"fields": ("display_name", "title", "department", "location", "bio", "expertise")},
        ),
        ("Roles", {"fields": ("is_km_lead",)}),
    )
    list_display = ("username", "email", "display_name", "department", "is_staff", "is_km_lead")
    search_fields = ("username", "email", "display_name", "department")


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin[Expertise]):
    search_fields = ("name",)
