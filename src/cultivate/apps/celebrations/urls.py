"""Celebrations URLs, mounted under /c/ before sharing's catch-all patterns."""

from django.urls import path

from . import views

app_name = "celebrations"
urlpatterns = [
    path("<slug:slug>/wins/", views.wins, name="wins"),
    path("<slug:slug>/wins/kudos/", views.kudos_new, name="kudos_new"),
    path("<slug:slug>/wins/<str:kind>/<int:pk>/cheer/", views.cheer, name="cheer"),
]
