"""Agenda URLs, mounted under /c/ before sharing's catch-all patterns."""

from django.urls import path  # noqa: F401

app_name = "agenda"
urlpatterns: list = []
