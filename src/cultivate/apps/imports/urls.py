"""Import URLs, mounted under /imports/: a community's upload page and each job's status."""

from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("c/<slug:slug>/", views.upload, name="upload"),
    path("jobs/<int:job_id>/", views.job_status, name="job"),
    path("jobs/<int:job_id>/again/", views.job_again, name="again"),
]
