"""The newcomer's page, mounted at /welcome/."""

from django.urls import path

from . import views

app_name = "welcome"
urlpatterns = [path("", views.welcome, name="first_steps")]
