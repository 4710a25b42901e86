"""Suggestions while typing a person's name, mounted at /suggest/."""

from django.urls import path

from . import views

app_name = "suggest"
urlpatterns = [path("people/", views.person_suggestions, name="people")]
