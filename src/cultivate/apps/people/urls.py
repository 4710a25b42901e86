"""People URLs, mounted under /people/: a person's profile and, for them alone, its editor."""

from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/edit/", views.profile_edit, name="edit"),
]
