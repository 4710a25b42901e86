"""People URLs, mounted under /people/: a person's profile and, for them alone, its editor."""

from django.urls import path

from . import my_data, views

app_name = "people"
urlpatterns = [
    path("me/data/", my_data.my_data, name="my_data"),
    path("me/data/<str:key>/", my_data.my_data_download, name="my_data_download"),
    path("me/close/", my_data.close_account, name="close_account"),
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/edit/", views.profile_edit, name="edit"),
]
