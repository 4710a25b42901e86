"""The operator's pages, mounted under /operations/."""

from django.urls import path

from . import audit_trail, views

app_name = "operations"
urlpatterns = [
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<uuid:job_id>/again/", views.run_again, name="run_again"),
    path("audit/", audit_trail.audit_trail, name="audit"),
    path("audit.csv", audit_trail.audit_csv, name="audit_csv"),
]
