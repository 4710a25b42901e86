"""The operator's pages, mounted under /operations/."""

from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<uuid:job_id>/again/", views.run_again, name="run_again"),
]
