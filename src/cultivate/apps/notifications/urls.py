"""Notification URLs, mounted under /notifications/."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("mark-read/", views.mark_read, name="mark_read"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("settings/", views.notification_settings, name="settings"),
    path("watch/community/<slug:slug>/", views.watch_community, name="watch_community"),
    path("watch/tag/<str:tag>/", views.watch_tag, name="watch_tag"),
]
